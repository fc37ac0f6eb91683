package explore

import (
	"errors"
	"net"
	"os/exec"
	"runtime"
)

// URL returns the page's address for a listener: http://HOST:PORT/, with
// 127.0.0.1 for an unspecified address (0.0.0.0 or ::), which a browser
// on this machine reaches.
func URL(ln net.Listener) string {
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return "http://" + ln.Addr().String() + "/"
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + (&net.TCPAddr{IP: ip, Port: tcp.Port}).String() + "/"
}

// OpenBrowser asks the desktop to open url: open on macOS, rundll32 on
// Windows, xdg-open elsewhere. It returns an error when there is none.
func OpenBrowser(url string) error {
	var name string
	var args []string
	switch runtime.GOOS {
	case "darwin":
		name, args = "open", []string{url}
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	default:
		name, args = "xdg-open", []string{url}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return errors.New("no " + name + " on this system")
	}
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
