// Runs one SQL statement in DuckDB (an in-memory database) and prints its rows as JSON.
// Usage: node duckdb-query.js "SELECT ... FROM read_parquet('...')"
const { DuckDBInstance } = require('@duckdb/node-api');

(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const result = await connection.runAndReadAll(process.argv[2]);
  process.stdout.write(JSON.stringify(result.getRowObjectsJson()));
})().catch(error => {
  process.stderr.write(String(error && error.message || error));
  process.exit(1);
});
