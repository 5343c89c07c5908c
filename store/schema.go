package store

import (
	"fmt"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this partnertiers reads and writes.
const SchemaVersion = 1

// The buckets of schema version 1.
var (
	// meta: "version" → decimal schema version; "created" → RFC 3339
	// time; "periods" → the periods that have production.
	bucketMeta = []byte("meta")
	// partners: id → encoded partner (encodePartner).
	bucketPartners = []byte("partners")
	// names: lower-cased id, name, alias or domain + 0x00 + id → nothing.
	// Several partners may share a name; a prefix scan finds them all.
	bucketNames = []byte("names")
	// production: partner id → that partner's periods and values (encodeSeries).
	bucketProduction = []byte("production")
	// metrics: metric key → uvarint number, the dictionary production uses.
	bucketMetrics = []byte("metrics")
	// history: partner id + 0x00 + 8-byte big-endian sequence → encoded
	// entry; the sequence (NextSequence) orders appends.
	bucketHistory = []byte("history")
	// imports: hex sha256 of a file's content → JSON ImportRecord.
	bucketImports = []byte("imports")
	// reviews: one nested bucket per period ("2026-Q3") holding "review"
	// → JSON header, "proposals" (8-byte order → JSON proposal) and
	// "decisions" (partner id → JSON decision), so each decision is one
	// small write of its own.
	bucketReviews = []byte("reviews")

	keyVersion = []byte("version")
	keyCreated = []byte("created")
	// keyPeriods holds every period that has production, oldest first:
	// format byte, count, periods (enc.period).
	keyPeriods = []byte("periods")
)

var allBuckets = [][]byte{bucketMeta, bucketPartners, bucketNames, bucketProduction, bucketMetrics, bucketHistory, bucketImports, bucketReviews}

// initSchema writes an empty store of the current version.
func initSchema(tx *bolt.Tx, now time.Time) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	if meta.Get(keyCreated) == nil {
		if err := meta.Put(keyCreated, []byte(now.UTC().Format(time.RFC3339))); err != nil {
			return err
		}
	}
	return meta.Put(keyVersion, []byte(strconv.Itoa(SchemaVersion)))
}

// readVersion is the store's schema version: 0 when it has none (an empty
// bbolt file, or the layout before versions). A file holding buckets that
// are not ours is refused.
func readVersion(tx *bolt.Tx, path string) (int, error) {
	if meta := tx.Bucket(bucketMeta); meta != nil {
		if raw := meta.Get(keyVersion); raw != nil {
			v, err := strconv.Atoi(string(raw))
			if err != nil || v < 0 {
				return 0, fmt.Errorf("store %s has a damaged schema version %q", path, raw)
			}
			return v, nil
		}
	}
	err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		for _, b := range allBuckets {
			if string(b) == string(name) {
				return nil
			}
		}
		return fmt.Errorf("store %s is not a partnertiers store (it holds a bucket %q)", path, name)
	})
	return 0, err
}

// checkVersion refuses to work on a store of another version: one a newer
// partnertiers wrote, or one replaced by an older file since Open.
func (s *Store) checkVersion(tx *bolt.Tx) error {
	v, err := readVersion(tx, s.path)
	switch {
	case err != nil:
		return err
	case v > SchemaVersion:
		return newerSchema(s.path, v)
	case v < SchemaVersion:
		return fmt.Errorf("store %s has schema version %d: open it again to migrate it", s.path, v)
	}
	return nil
}

// version reads the schema version in a read transaction.
func (s *Store) version() (v int, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	db, err := s.openBolt(false)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		v, err = readVersion(tx, s.path)
		return err
	})
	return v, err
}

// migration upgrades a store from version from to from+1, inside the one
// transaction that migrates the store.
type migration struct {
	from int
	what string
	run  func(tx *bolt.Tx, now time.Time) error
}

// migrations is the upgrade path, one step per version. A store is
// migrated through every step from its version to SchemaVersion in one
// transaction, after a backup beside it.
var migrations = []migration{
	{
		from: 0,
		what: "add the schema version, the names index, the metric dictionary and the import log",
		run:  migrate0to1,
	},
}

// migrate0to1 upgrades a store without a version: an empty bbolt file (an
// init interrupted before Create wrote its file atomically) or the layout
// before versions, which had partners, production and history but no
// names index and no import log. The partner, production and history
// records are the same in both.
func migrate0to1(tx *bolt.Tx, now time.Time) error {
	if err := initSchema(tx, now); err != nil {
		return err
	}
	var keys [][]byte
	err := tx.Bucket(bucketPartners).ForEach(func(k, v []byte) error {
		p, err := decodePartner(string(k), v)
		if err != nil {
			return fmt.Errorf("partner %q: %w", k, err)
		}
		for _, key := range nameKeys(&p) {
			keys = append(keys, nameIndexKey(key, p.ID))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := putIndexKeys(tx.Bucket(bucketNames), nil, keys); err != nil {
		return err
	}
	periods, err := scanPeriods(tx)
	if err != nil {
		return err
	}
	return addPeriods(tx, periods)
}

// migrate backs the store up beside itself (when it holds anything) and
// runs every migration from version from in one transaction.
func (s *Store) migrate(from int, backup bool) error {
	now := s.opts.Now()
	m := &Migration{From: from, To: SchemaVersion}
	if backup {
		m.Backup = s.backupName(from, now)
		err := func() error {
			s.mu.RLock()
			defer s.mu.RUnlock()
			db, err := s.openBolt(false)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.View(func(tx *bolt.Tx) error { return writeCopy(tx, m.Backup) })
		}()
		if err != nil {
			return fmt.Errorf("migrate store %s: backup first: %w", s.path, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.openBolt(true)
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		v, err := readVersion(tx, s.path)
		if err != nil {
			return err
		}
		if v > SchemaVersion {
			return newerSchema(s.path, v)
		}
		for v < SchemaVersion {
			step, ok := migrationFrom(v)
			if !ok {
				return fmt.Errorf("store %s has schema version %d, which this partnertiers cannot migrate", s.path, v)
			}
			if err := step.run(tx, now); err != nil {
				return fmt.Errorf("migrate store %s from version %d (%s): %w", s.path, v, step.what, err)
			}
			v++
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, []byte(strconv.Itoa(SchemaVersion)))
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	s.migration = m
	return nil
}

func migrationFrom(v int) (migration, bool) {
	for _, m := range migrations {
		if m.from == v {
			return m, true
		}
	}
	return migration{}, false
}

// backupName is the path of the copy taken before migrating from version
// v: "partnertiers.db.bak-v0-20261121T101500", with a counter if taken.
func (s *Store) backupName(v int, now time.Time) string {
	base := fmt.Sprintf("%s.bak-v%d-%s", s.path, v, now.Format("20060102T150405"))
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); err != nil {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}
