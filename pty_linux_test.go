package main

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

func init() { openPTY = openLinuxPTY }

// openLinuxPTY opens a pseudo-terminal pair with /dev/ptmx, so a test can
// run the app, which refuses to start without a terminal.
func openLinuxPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		return nil, nil, fmt.Errorf("unlock pty: %w", e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		master.Close()
		return nil, nil, fmt.Errorf("pty number: %w", e)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	// A fresh pty is 0×0: the app would wait for a size to draw.
	size := struct{ rows, cols, x, y uint16 }{24, 80, 0, 0}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSWINSZ, uintptr(unsafe.Pointer(&size))); e != 0 {
		master.Close()
		slave.Close()
		return nil, nil, fmt.Errorf("pty size: %w", e)
	}
	return master, slave, nil
}
