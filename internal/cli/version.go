package cli

import (
	"runtime/debug"
	"strings"
)

// Version describes the running binary from its build information: the
// module version ("(devel)" when built from a checkout), the VCS revision,
// its time and whether the tree was modified, and the Go version.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dendritic (no build information)"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	parts := []string{"dendritic", v}
	var rev, when string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		parts = append(parts, "revision", rev)
		if when != "" {
			parts = append(parts, "("+when+")")
		}
		if modified {
			parts = append(parts, "modified")
		}
	} else {
		parts = append(parts, "revision unknown (no VCS stamp: go run, go test and -buildvcs=false leave it out)")
	}
	return strings.Join(append(parts, bi.GoVersion), " ")
}
