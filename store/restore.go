package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Restore replaces the store at path with a copy of the store in src (a
// backup) and returns where the replaced store is kept ("" when there was
// none).
//
// src must be a partnertiers store this version can open: its header
// sound, bbolt's consistency check clean, its schema not newer (an older
// one is migrated at the next Open, as any older store). It is copied
// beside path first, so the swap itself is a rename.
//
// "In use" means some process is inside a transaction on the store: it
// holds bbolt's lock on the file. The app does not hold the store open
// between transactions, so an open app does not count; it reads the
// restored store at its next transaction. Restore takes the exclusive
// lock (waiting at most Options.Timeout, then ErrBusy) and keeps it while
// it swaps; a writer that was waiting meanwhile sees the file changed
// under it and opens the restored one (see openBolt). A damaged store
// can be replaced without the lock: no partnertiers can open it.
func Restore(path, src string, opts Options) (replaced string, err error) {
	opts = opts.withDefaults()
	if same(path, src) {
		return "", fmt.Errorf("restore: %s is the store itself", src)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	tmp, err := copyChecked(src, path, opts)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp) // gone once renamed

	lock, err := lockCurrent(path, opts)
	if err != nil {
		return "", err
	}
	if lock != nil {
		defer lock.Close()
	}
	if _, err := os.Lstat(path); err == nil {
		replaced = backupPath(path, "replaced", opts.Now())
		// A second name for the old file keeps the store in place until
		// the rename; without hard links, move it aside first.
		if err := os.Link(path, replaced); err != nil {
			if err := os.Rename(path, replaced); err != nil {
				return "", fmt.Errorf("restore: keep the replaced store: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	syncDir(dir)
	return replaced, nil
}

// copyChecked checks that src is a store this partnertiers can use and
// copies it beside dst, in the one read transaction that checked it.
func copyChecked(src, dst string, opts Options) (string, error) {
	in := &Store{path: src, opts: opts, source: true}
	db, err := in.openBolt(false)
	if errors.Is(err, ErrNoStore) {
		return "", fmt.Errorf("restore: no file at %s", src)
	}
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer db.Close()
	var tmp string
	err = db.View(func(tx *bolt.Tx) error {
		v, err := readVersion(tx, src)
		switch {
		case err != nil:
			return err
		case v > SchemaVersion:
			return newerSchema(src, v)
		}
		var errs []error
		for e := range tx.Check() {
			errs = append(errs, e)
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s fails its consistency check: %w", src, errors.Join(errs...))
		}
		tmp, err = copyTemp(tx, dst)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	return tmp, nil
}

// lockCurrent takes the exclusive lock on the store at path, if there is
// one that bbolt can open, and returns it held.
func lockCurrent(path string, opts Options) (*bolt.DB, error) {
	cur := &Store{path: path, opts: opts}
	db, err := cur.openBolt(true)
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, ErrNoStore), errors.Is(err, ErrDamaged):
		return nil, nil
	case errors.Is(err, ErrBusy):
		return nil, &msgError{
			msg:  fmt.Sprintf("restore: store %s is in use: another partnertiers is reading or writing it; try again when it is done", path),
			kind: ErrBusy,
		}
	}
	return nil, fmt.Errorf("restore: %w", err)
}

// same reports whether a and b name one file.
func same(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
