package main

import (
	"os"
	"path/filepath"

	"github.com/dendritic/dendritic/internal/cli"
)

// dataEnv names the environment variable that points every command at a
// data root holding nab/ (NAB's data/, labels/, config/) and
// nyc_taxi/nyc_taxi.csv; without it the root is ../shared/data, the
// project's read-only copy beside a checkout.
const dataEnv = "DENDRITIC_DATA"

// dataRoot returns $DENDRITIC_DATA, or ../shared/data.
func dataRoot() string {
	if r := os.Getenv(dataEnv); r != "" {
		return r
	}
	return filepath.Join("..", "shared", "data")
}

// defaultData resolves a --data flag: the given path, else rel under the
// data root if it exists. what names the data in the error.
func defaultData(given, rel, what string) (string, error) {
	if given != "" {
		return given, nil
	}
	p := filepath.Join(dataRoot(), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", cli.Usagef("--data is required: %s not found at %s (set --data, or %s to a root holding nab/ and nyc_taxi/)", what, p, dataEnv)
	}
	return p, nil
}
