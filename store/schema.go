package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// SchemaVersion is the layout this partnertiers reads and writes.
const SchemaVersion = 3

// The buckets of schema version 3.
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
	// → JSON header (reviewHeader, with the counts before any decision),
	// "proposals" (partner id → proposal record without its evidence:
	// the review's order follows from the proposals), "evidence" (partner id →
	// evidence record: see review_codec.go) and "decisions" (partner id →
	// JSON decision), so a list of the review reads only the light
	// records, and each decision is one small read and write of its own.
	// A header marked "starting" is a start not finished (reviewstart.go):
	// reads pass over it.
	bucketReviews = []byte("reviews")
	// deals (dealstore.go) holds every imported CRM deal by id, so a deal
	// in two exports counts once. It is created by the first deals import,
	// not here: a store without it simply has no stored deals, so adding
	// it needed no new schema version.

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
	{
		from: 1,
		what: "keep each review proposal's evidence apart from the proposal, and the review's counts in its header",
		run:  migrate1to2,
	},
	{
		from: 2,
		what: "write reviews in batches, under a header marked starting, and proposals without their position",
		run:  migrate2to3,
	},
}

// migrate2to3 changes no record: proposals written with their position
// (format 1) still read. The version moves so that an older partnertiers,
// which reads neither format 2 proposals nor a header marked starting,
// refuses the store as newer than it understands instead of calling it
// damaged.
func migrate2to3(*bolt.Tx, time.Time) error { return nil }

// migrate0to1 upgrades a store without a version: a bbolt file with none
// of our buckets, or the layout before versions, which had partners, production and history but no
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

// migrate1to2 splits every review's proposals in two records, the light
// proposal keyed by partner id and its evidence apart (see review.go), and
// adds the counts to the header. Version 1 kept each proposal, evidence and
// all, as JSON under its 8-byte big-endian position. Decisions stay as
// they are.
func migrate1to2(tx *bolt.Tx, _ time.Time) error {
	root := tx.Bucket(bucketReviews)
	if root == nil {
		return nil
	}
	var names [][]byte
	if err := root.ForEachBucket(func(k []byte) error {
		names = append(names, bytes.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	for _, name := range names {
		if err := migrateReview1to2(root.Bucket(name)); err != nil {
			return fmt.Errorf("review %s: %w", name, err)
		}
	}
	return nil
}

func migrateReview1to2(b *bolt.Bucket) error {
	h, err := readHeader(b)
	if err != nil {
		return err
	}
	var (
		prs      []model.Proposal
		evidence []record
		strs     stringTable
	)
	// The keys are positions: ForEach reads in review order.
	err = b.Bucket(keyProposals).ForEach(func(_, v []byte) error {
		var pr model.Proposal
		if err := json.Unmarshal(v, &pr); err != nil {
			return err
		}
		if pr.Evaluation != nil {
			evidence = append(evidence, record{[]byte(pr.Partner), encodeEvaluation(pr.Evaluation, &strs)})
			pr.Evaluation = nil
		}
		prs = append(prs, pr)
		return nil
	})
	if err != nil {
		return err
	}
	if err := b.DeleteBucket(keyProposals); err != nil {
		return err
	}
	slices.SortFunc(evidence, func(a, b record) int { return bytes.Compare(a.k, b.k) })
	proposals := make([]record, len(prs))
	for i := range prs {
		proposals[i] = record{[]byte(prs[i].Partner), encodeProposal(&prs[i])}
	}
	slices.SortFunc(proposals, func(a, b record) int { return bytes.Compare(a.k, b.k) })
	for _, put := range []struct {
		name []byte
		recs []record
	}{{keyProposals, proposals}, {keyEvidence, evidence}} {
		nb, err := b.CreateBucket(put.name)
		if err != nil {
			return err
		}
		if err := putRecords(nb, put.recs); err != nil {
			return err
		}
	}
	// No program here: with no decision only a hold that changes tiers
	// would need one, and a hold keeps its tier.
	h.Proposals, h.Base, h.Strings = len(prs), baseCounts(&model.Program{}, prs), strs.list
	return putJSON(b, keyReview, h)
}

// migrate backs the store up beside itself and runs every migration from
// version from in one transaction: a failed or interrupted migration
// leaves the store as it was.
func (s *Store) migrate(from int) error {
	now := s.opts.Now()
	m := &Migration{From: from, To: SchemaVersion, Backup: backupPath(s.path, fmt.Sprintf("v%d", from), now)}
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
	if isFull(err) {
		return full(s.path, err)
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
