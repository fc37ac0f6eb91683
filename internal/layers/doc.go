// Package layers holds no code: its test enforces the import rules of
// ARCHITECTURE.md. The layer table there is the data: every package of the
// module belongs to exactly one layer, and a package may import only
// packages of strictly lower layers. Nothing imports a command.
package layers
