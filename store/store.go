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
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sync"
	"syscall"
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
	// ErrDamaged: the file is not a partnertiers store, or is damaged.
	ErrDamaged = errors.New("store is damaged")
	// ErrFull: a write did not fit (the disk, or Options.MaxSize).
	ErrFull = errors.New("store is full")
)

// DefaultTimeout is how long an operation waits for another process's lock.
const DefaultTimeout = time.Second

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Timeout bounds every wait for another process's lock (default 1s).
	Timeout time.Duration
	// Now is the clock for backup names and import times (default time.Now).
	Now func() time.Time
	// MaxSize caps the file in bytes (0: no cap), so tests can fill the
	// store as a full disk would: a write that does not fit fails with
	// ErrFull and writes nothing.
	MaxSize int
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
	// source: the file is a backup a restore reads, not the store, so
	// its errors do not advise restoring a backup.
	source bool
	// startBatch is how many partners a review's start writes per
	// transaction (defaultStartBatch; tests make it small).
	startBatch int
	// snapshotChunk is how many records a snapshot reads per transaction
	// (defaultSnapshotChunk; tests make it small).
	snapshotChunk int
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

func full(path string, err error) error {
	return &msgError{
		msg:  fmt.Sprintf("store %s is full (%v): nothing of this change was written; free some disk space and try again", path, err),
		kind: ErrFull,
		err:  err,
	}
}

// isFull: the write ran out of room, on the disk or under Options.MaxSize.
func isFull(err error) bool {
	return errors.Is(err, bolterrors.ErrMaxSizeReached) || errors.Is(err, syscall.ENOSPC)
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
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: opts.Timeout, MaxSize: opts.MaxSize})
	if err != nil {
		return nil, fmt.Errorf("create store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return initSchema(tx, opts.Now()) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if isFull(err) {
		return nil, full(path, err)
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
	return &Store{path: path, opts: opts, startBatch: defaultStartBatch}, nil
}

// Open opens the store at path, refusing a missing file, a file that is
// not a partnertiers store (empty, cut short, not bbolt, another program's
// bbolt) and a store from a newer partnertiers. An older store is backed
// up beside itself and migrated in one transaction.
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
	s := &Store{path: path, opts: opts, startBatch: defaultStartBatch}
	v, err := s.version()
	if err != nil {
		return nil, err
	}
	switch {
	case v == SchemaVersion:
		return s, nil
	case v > SchemaVersion:
		return nil, newerSchema(path, v)
	}
	if err := s.migrate(v); err != nil {
		return nil, err
	}
	return s, nil
}

// openBolt opens the file for one transaction: read-only with a shared
// lock, or read-write with an exclusive one. It never creates the file,
// and checks the file's header before bbolt maps it (see checkHeader).
//
// A writer that waited for the lock while `restore` swapped another file
// in would write to the replaced one and lose the write: so once it holds
// the lock it checks that the file is still the one at path, and opens
// again if not.
func (s *Store) openBolt(write bool) (*bolt.DB, error) {
	for attempt := 0; ; attempt++ {
		var f *os.File
		db, err := bolt.Open(s.path, 0o600, &bolt.Options{
			Timeout:  s.opts.Timeout,
			ReadOnly: !write,
			MaxSize:  s.opts.MaxSize,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				var err error
				if f, err = os.OpenFile(name, flag&^os.O_CREATE, perm); err != nil {
					return nil, err
				}
				if err := checkHeader(f, s.path); err != nil {
					_ = f.Close()
					return nil, err
				}
				return f, nil
			},
		})
		if err != nil {
			return nil, s.openError(err, write)
		}
		if write && attempt < 3 && swapped(f, s.path) {
			_ = db.Close()
			continue
		}
		return db, nil
	}
}

func (s *Store) openError(err error, write bool) error {
	var me *msgError
	switch {
	case errors.As(err, &me) && errors.Is(err, ErrDamaged) && !s.source:
		return &msgError{msg: me.msg + "; restore a backup with `partnertiers restore FILE`", kind: ErrDamaged}
	case errors.As(err, &me):
		return err // checkHeader's, already worded
	case errors.Is(err, bolterrors.ErrTimeout):
		return busy(s.path, write)
	case errors.Is(err, fs.ErrNotExist):
		return noStore(s.path)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrChecksum):
		return damaged(s.path, err.Error())
	}
	return fmt.Errorf("open store %s: %w", s.path, err)
}

// swapped reports whether path now names another file than f.
func swapped(f *os.File, path string) bool {
	held, err1 := f.Stat()
	now, err2 := os.Stat(path)
	return err1 == nil && (err2 != nil || !os.SameFile(held, now))
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
	switch {
	case errors.Is(err, errNoChange):
		return nil
	case isFull(err):
		return full(s.path, err)
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

func damaged(path, why string) error {
	return &msgError{
		msg:  fmt.Sprintf("store %s is not a partnertiers store, or is damaged: %s", path, why),
		kind: ErrDamaged,
	}
}

// The head of a bbolt file (format version 2, bbolt's internal/common):
// two meta pages, each a 16-byte page header then magic, version, page
// size, flags, root bucket (page, sequence), freelist page, high-water
// page id, transaction id and an FNV-64a checksum of the fields before it,
// in the machine's byte order.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	boltPageHeader = 16
	boltMetaSize   = 64
	boltMetaSum    = 56 // the checksummed bytes
)

type boltMeta struct {
	pageSize   uint64
	pgid, txid uint64
}

// checkHeader refuses a file bbolt must not map: an empty one (bbolt would
// write a fresh database into it), one without a valid bbolt header, and
// one cut short (bbolt trusts the header and faults reading pages past the
// end of the file, killing the process). It reads the meta pages as bbolt
// does and checks that the pages the newest valid one counts are all in
// the file. It needs no lock: bbolt grows the file before it writes the
// meta page that counts the new pages.
func checkHeader(f *os.File, path string) error {
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	size := st.Size()
	if size == 0 {
		return &msgError{
			msg:  fmt.Sprintf("store %s is empty (0 bytes), not a partnertiers store", path),
			kind: ErrDamaged,
		}
	}
	m0, ok0 := readMeta(f, 0)
	var m1 boltMeta
	ok1 := false
	if ok0 {
		m1, ok1 = readMeta(f, int64(m0.pageSize))
	} else {
		// The first meta page is torn: find the second as bbolt does,
		// trying page sizes.
		for ps := int64(1024); ps <= 64<<10 && ps < size && !ok1; ps *= 2 {
			m1, ok1 = readMeta(f, ps)
		}
	}
	m := m0
	switch {
	case !ok0 && !ok1:
		return damaged(path, "no valid bbolt header")
	case !ok0 || (ok1 && m1.txid > m0.txid):
		m = m1
	}
	// Compared in pages, not bytes: a page count from a damaged header
	// times the page size may wrap uint64 round to a small number.
	if m.pgid > uint64(size)/m.pageSize {
		if m.pgid > math.MaxUint64/m.pageSize {
			return damaged(path, fmt.Sprintf("its header counts %d pages, more than any file holds", m.pgid))
		}
		return damaged(path, fmt.Sprintf("the file is cut short (%d of its %d bytes)", size, m.pgid*m.pageSize))
	}
	return nil
}

// readMeta reads and validates the meta page at off.
func readMeta(f *os.File, off int64) (boltMeta, bool) {
	var buf [boltPageHeader + boltMetaSize]byte
	if _, err := f.ReadAt(buf[:], off); err != nil {
		return boltMeta{}, false
	}
	b, e := buf[boltPageHeader:], binary.NativeEndian
	h := fnv.New64a()
	h.Write(b[:boltMetaSum])
	if e.Uint32(b[0:]) != boltMagic || e.Uint32(b[4:]) != boltVersion || e.Uint64(b[boltMetaSum:]) != h.Sum64() {
		return boltMeta{}, false
	}
	m := boltMeta{pageSize: uint64(e.Uint32(b[8:])), pgid: e.Uint64(b[40:]), txid: e.Uint64(b[48:])}
	return m, m.pageSize >= 512 && m.pageSize&(m.pageSize-1) == 0
}
