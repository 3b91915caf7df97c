// Reading a dropped file, apart from the importer's parsers: the page listens for drops from the
// start, while the parsers (src/logs) and the dialog load only when something is pasted or dropped.
/** A dropped file's text, at most `max` bytes of it (a log larger than that is cut, and says so). */
export async function fileText(file: File, max = 17 * 1024 * 1024): Promise<string> {
  return file.size > max ? file.slice(0, max).text() : file.text();
}
