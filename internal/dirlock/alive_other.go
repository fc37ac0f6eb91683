//go:build !unix

package dirlock

// alive cannot check a process here: every lock is taken to be held.
func alive(int) bool { return true }
