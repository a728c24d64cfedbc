// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here.
#ifndef GATEHOUSE_CNCURSES_SHIM_H
#define GATEHOUSE_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
