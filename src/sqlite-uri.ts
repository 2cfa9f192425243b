// Lets SQLite read `file:` URIs (better-sqlite3 reads this variable once, when its addon
// first opens a database), so a database in a read-only folder can be opened with
// `?immutable=1`. Imported before better-sqlite3 by the store.
process.env.SQLITE_USE_URI ??= "1";
export {};
