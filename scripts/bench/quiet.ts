// Imported first by the bench: its own in-process work (seeding, the direct
// references) logs warnings only, so the table is not buried in log lines.
// The servers it starts log as shipped (see server.ts).
process.env.LOG_LEVEL ??= "warn";
