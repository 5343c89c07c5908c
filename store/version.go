package store

import (
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Version tells one state of the store from another: the file (a restore
// puts another in its place), its size and modification time (a file
// copied over it keeps its inode, and may have reached the same
// transaction id), and its last committed transaction, which every write
// moves on. The app reads it to skip reading again a store that has not
// changed.
type Version struct {
	file os.FileInfo
	tx   int
}

// Same reports whether v and w are the same state of the same file. The
// zero Version is the same as none.
func (v Version) Same(w Version) bool { return v.tx == w.tx && v.sameFile(w) }

// sameFile reports whether v and w read the same file, unwritten between.
func (v Version) sameFile(w Version) bool {
	return v.file != nil && w.file != nil && os.SameFile(v.file, w.file) &&
		v.file.Size() == w.file.Size() && v.file.ModTime().Equal(w.file.ModTime())
}

// Version reads which state the store is in: one read transaction, nothing
// decoded.
func (s *Store) Version() (Version, error) {
	var v Version
	err := s.view(func(tx *bolt.Tx) (err error) {
		v, err = s.versionOf(tx)
		return err
	})
	return v, err
}

// versionOf is the state tx reads. The file at the store's path is the
// one tx reads: a restore puts another there only when no transaction is
// open on the old one.
func (s *Store) versionOf(tx *bolt.Tx) (Version, error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		return Version{}, fmt.Errorf("store version: %w", err)
	}
	return Version{file: fi, tx: tx.ID()}, nil
}
