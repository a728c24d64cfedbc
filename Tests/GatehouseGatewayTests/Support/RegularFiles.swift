import Foundation

/// Every regular file under `directory`, at any depth (the state directory has a `journal/`).
func regularFiles(under directory: String) -> [String] {
    let names = (try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? []
    return names.map { (directory as NSString).appendingPathComponent($0) }.filter { path in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }.sorted()
}
