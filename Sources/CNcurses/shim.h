// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here.
#ifndef GATEHOUSE_CNCURSES_SHIM_H
#define GATEHOUSE_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift cannot import function-like or cast-bearing macros, so the few the
// dashboard needs are re-exported as inline functions.
static inline attr_t gh_attr_normal(void) { return A_NORMAL; }
static inline attr_t gh_attr_bold(void) { return A_BOLD; }
static inline attr_t gh_attr_dim(void) { return A_DIM; }
static inline attr_t gh_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t gh_attr_reverse(void) { return A_REVERSE; }
static inline attr_t gh_attr_italic(void) { return A_ITALIC; }

static inline int gh_key_f(int n) { return KEY_F(n); }

// Glibc's Swift module is built without _XOPEN_SOURCE, which hides wcwidth(3).
extern int wcwidth(wchar_t c);
static inline int gh_wcwidth(wchar_t c) { return wcwidth(c); }

// Curses' globals, read through functions so Swift 6 does not see shared mutable state;
// the dashboard only touches them on its UI thread.
static inline WINDOW *gh_stdscr(void) { return stdscr; }
static inline int gh_color_pairs(void) { return COLOR_PAIRS; }

static inline int gh_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int gh_getmaxx(WINDOW *w) { return getmaxx(w); }
#endif
