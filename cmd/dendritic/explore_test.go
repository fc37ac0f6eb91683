package main

import (
	"net"
	"strings"
	"testing"
)

// TestExploreAddress checks the exit codes of explore's address errors: a
// malformed --addr is a usage error (2), a port in use an I/O error (1).
func TestExploreAddress(t *testing.T) {
	_, errOut, code := runCLI("explore", "--addr", "no-port")
	if code != exitUsage || !strings.HasPrefix(errOut, "dendritic explore: --addr: bad address") {
		t.Errorf("malformed address: exit %d, stderr %q", code, errOut)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, errOut, code = runCLI("explore", "--addr", ln.Addr().String())
	if code != 1 || !strings.Contains(errOut, "address already in use") {
		t.Errorf("port in use: exit %d, stderr %q", code, errOut)
	}
}
