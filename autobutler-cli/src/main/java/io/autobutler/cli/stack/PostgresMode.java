package io.autobutler.cli.stack;

/** Which PostgreSQL server the stack uses. */
public enum PostgresMode {
  /** The server at the configured URL when it answers, otherwise an embedded one. */
  AUTO,
  /** Only the server at the configured URL. */
  SERVER,
  /** Always the embedded server (data under the state folder). */
  EMBEDDED
}
