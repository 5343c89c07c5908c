package store

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the store to dst while others keep
// reading: a read transaction streamed into a temporary file beside dst
// (mode 0600), synced, renamed over dst, and the folder synced so the
// rename survives a crash.
func (s *Store) Backup(dst string) error {
	abs, err1 := filepath.Abs(dst)
	self, err2 := filepath.Abs(s.path)
	if err1 == nil && err2 == nil && abs == self {
		return fmt.Errorf("backup: %s is the store itself", dst)
	}
	return s.view(func(tx *bolt.Tx) error { return writeCopy(tx, dst) })
}

// writeCopy writes the snapshot tx sees to dst, complete or not at all.
func writeCopy(tx *bolt.Tx, dst string) error {
	tmp, err := copyTemp(tx, dst)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	syncDir(filepath.Dir(dst))
	return nil
}

// copyTemp writes the snapshot tx sees to a new temporary file beside
// dst, mode 0600, synced, and returns its name. Tx.WriteTo does not sync.
func copyTemp(tx *bolt.Tx, dst string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".tmp-*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = tx.WriteTo(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// backupPath names a copy of the store kept beside it: the store's name,
// ".bak-", what it is (v1: before migrating from version 1; replaced: the
// store a restore replaced) and the time, with a counter if taken.
func backupPath(path, what string, now time.Time) string {
	base := fmt.Sprintf("%s.bak-%s-%s", path, what, now.Format("20060102T150405"))
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); err != nil {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// syncDir makes a rename in dir durable; failures only cost durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
