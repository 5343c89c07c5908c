// Package store keeps partnertiers' data on disk: one bbolt file holding
// partners, production, tier history and the import log, and the CSV
// importers that fill it.
//
// A Store never keeps bbolt open: each method opens the file for each
// transaction it needs and closes it again, with a shared lock for reads
// and an exclusive one for writes. So a second process (`partnertiers show`
// in another terminal) can read while the app is open, and a lock wait is
// bounded by Options.Timeout and ends in ErrBusy, never a hang. Long work
// before a write (starting or finalizing a review) is done in a read
// transaction, and the write lock taken only for the write.
package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/partnertiers/partnertiers/store/safetext"
)

// Errors a caller can test for with errors.Is. The errors returned wrap
// them in a message that names the store and says what to do.
var (
	// ErrBusy: another process held the lock for longer than Options.Timeout.
	ErrBusy = errors.New("store is busy")
	// ErrNoStore: there is no store file at the path.
	ErrNoStore = errors.New("no store")
	// ErrNewerSchema: the store was written by a newer partnertiers.
	ErrNewerSchema = errors.New("store schema is newer than this partnertiers")
	// ErrNotFound: no partner with that id.
	ErrNotFound = errors.New("not found")
)

// DefaultTimeout is how long an operation waits for another process's lock.
const DefaultTimeout = time.Second

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Timeout bounds every wait for another process's lock (default 1s).
	Timeout time.Duration
	// Now is the clock for backup names and import times (default time.Now).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Store is a partnertiers store on disk. Its methods are safe for
// concurrent use; within one process, writes wait for each other and for
// reads without touching the file lock.
type Store struct {
	path      string
	opts      Options
	mu        sync.RWMutex
	migration *Migration
}

// Migration describes the upgrade Open made to an older store.
type Migration struct {
	From, To int
	Backup   string // the copy of the store taken before migrating
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Migration is the upgrade Open made to an older store, or nil.
func (s *Store) Migration() *Migration { return s.migration }

// CleanText makes a string from a file safe to show: see safetext.Clean.
func CleanText(s string) string { return safetext.Clean(s) }

// msgError is an error with a message for people that still matches a
// sentinel with errors.Is.
type msgError struct {
	msg  string
	kind error
	err  error // the underlying cause, if any
}

func (e *msgError) Error() string { return e.msg }

func (e *msgError) Unwrap() []error {
	if e.err != nil {
		return []error{e.kind, e.err}
	}
	return []error{e.kind}
}

func noStore(path string) error {
	return &msgError{msg: fmt.Sprintf("no store at %s: run `partnertiers init`", path), kind: ErrNoStore}
}

func busy(path string, write bool) error {
	who := "writing to it"
	if write {
		who = "using it"
	}
	return &msgError{msg: fmt.Sprintf("store %s is busy: another partnertiers is %s; try again", path, who), kind: ErrBusy}
}

func newerSchema(path string, v int) error {
	return &msgError{
		msg:  fmt.Sprintf("store %s has schema version %d, newer than this partnertiers understands (%d): upgrade partnertiers", path, v, SchemaVersion),
		kind: ErrNewerSchema,
	}
}

// Create makes a new store at path: the folder (0700) if needed, the file
// (0600) and the schema. The file appears complete or not at all. If a
// store already exists at path, Create opens it as Open does and never
// overwrites it.
func Create(path string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	if _, err := os.Stat(path); err == nil {
		return Open(path, opts)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create store: %w", err)
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".new-*")
	if err != nil {
		return nil, fmt.Errorf("create store: %w", err)
	}
	tmp := f.Name()
	_ = f.Close()
	defer os.Remove(tmp)
	if err := os.Chmod(tmp, 0o600); err != nil {
		return nil, fmt.Errorf("create store: %w", err)
	}
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: opts.Timeout})
	if err != nil {
		return nil, fmt.Errorf("create store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return initSchema(tx, opts.Now()) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("create store %s: %w", path, err)
	}
	// Link refuses to replace a store another process made meanwhile.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Open(path, opts)
		}
		if err := os.Rename(tmp, path); err != nil {
			return nil, fmt.Errorf("create store: %w", err)
		}
	}
	syncDir(dir)
	return &Store{path: path, opts: opts}, nil
}

// Open opens the store at path, refusing a missing file, a file that is
// not a partnertiers store and a store from a newer partnertiers. An older
// store is backed up beside itself and migrated in one transaction.
func Open(path string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, noStore(path)
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open store: %s is a folder, not a store file", path)
	}
	s := &Store{path: path, opts: opts}
	v := 0
	if st.Size() > 0 {
		if v, err = s.version(); err != nil {
			return nil, err
		}
	}
	switch {
	case v == SchemaVersion:
		return s, nil
	case v > SchemaVersion:
		return nil, newerSchema(path, v)
	}
	if err := s.migrate(v, st.Size() > 0); err != nil {
		return nil, err
	}
	return s, nil
}

// openBolt opens the file for one transaction: read-only with a shared
// lock, or read-write with an exclusive one. It never creates the file.
func (s *Store) openBolt(write bool) (*bolt.DB, error) {
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{
		Timeout:  s.opts.Timeout,
		ReadOnly: !write,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			return os.OpenFile(name, flag&^os.O_CREATE, perm)
		},
	})
	if err == nil {
		return db, nil
	}
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, busy(s.path, write)
	case errors.Is(err, fs.ErrNotExist):
		return nil, noStore(s.path)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrChecksum):
		return nil, fmt.Errorf("store %s is not a partnertiers store, or is damaged: %w", s.path, err)
	}
	return nil, fmt.Errorf("open store %s: %w", s.path, err)
}

// view runs fn in a read transaction on a freshly opened, shared-locked file.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	db, err := s.openBolt(false)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		if err := s.checkVersion(tx); err != nil {
			return err
		}
		return fn(tx)
	})
}

// errNoChange rolls back an update that found nothing to do.
var errNoChange = errors.New("no change")

// update runs fn in one read-write transaction on a freshly opened,
// exclusively locked file. fn returning errNoChange rolls back quietly.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.openBolt(true)
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := s.checkVersion(tx); err != nil {
			return err
		}
		packBuckets(tx)
		return fn(tx)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, errNoChange) {
		return nil
	}
	return err
}

// packBuckets fills pages to 90% instead of bbolt's default 50% when they
// split: writes come in sorted batches (imports), so half-full pages would
// double the file. A write transaction caches its bucket handles, so the
// setting holds for the whole transaction.
func packBuckets(tx *bolt.Tx) {
	for _, name := range [][]byte{bucketPartners, bucketNames, bucketProduction, bucketHistory} {
		if b := tx.Bucket(name); b != nil {
			b.FillPercent = 0.9
		}
	}
}

// Check runs bbolt's consistency check over the whole file and returns
// every problem it finds, joined.
func (s *Store) Check() error {
	var errs []error
	err := s.view(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			errs = append(errs, e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return fmt.Errorf("store %s fails its consistency check: %w", s.path, errors.Join(errs...))
	}
	return nil
}

// Backup writes a consistent copy of the store to dst while others keep
// reading: a read transaction streamed into a temporary file beside dst,
// synced, then renamed over dst (mode 0600).
func (s *Store) Backup(dst string) error {
	abs, err1 := filepath.Abs(dst)
	self, err2 := filepath.Abs(s.path)
	if err1 == nil && err2 == nil && abs == self {
		return fmt.Errorf("backup: %s is the store itself", dst)
	}
	return s.view(func(tx *bolt.Tx) error { return writeCopy(tx, dst) })
}

func writeCopy(tx *bolt.Tx, dst string) error {
	dir := filepath.Dir(dst)
	f, err := os.CreateTemp(dir, filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := tx.WriteTo(f); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	ok = true
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable; failures only cost durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
