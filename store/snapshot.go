package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"math"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// Snapshot is everything the app shows, read in one transaction so the
// screens never mix two states of the store.
type Snapshot struct {
	Partners   []model.Partner            // every partner, sorted by name
	Production map[string]model.Series    // by partner id
	History    map[string][]model.History // by partner id, oldest first
	Periods    []model.Period             // periods that have production, oldest first
	Version    Version                    // the state of the store read

	// What a later snapshot needs to share with this one what has not
	// changed (SnapshotAfter).
	seed  maphash.Seed
	names uint64      // the sum of the metric names the series were read with
	sums  []recordSum // by partner id
}

// recordSum is the sum of a partner's records as read, to tell an
// unchanged record without decoding it.
type recordSum struct {
	id         string
	partner    uint64
	production uint64 // 0: no production record
	at         int    // the partner's index in Partners
}

// Snapshot reads every partner (sorted by name, ignoring case), their
// production and history, and the periods that have production, in one
// read transaction.
func (s *Store) Snapshot() (*Snapshot, error) { return s.SnapshotAfter(nil) }

// SnapshotAfter is Snapshot sharing with prev (an earlier snapshot of the
// store, or nil) every partner and series whose record has not changed:
// those are neither decoded nor held twice, so reading the store again
// after a finalize or an import holds the program about once, not twice.
// A record counts as unchanged when its 64-bit sum (maphash, seeded once
// per snapshot chain) is the one prev read. prev is only read.
func (s *Store) SnapshotAfter(prev *Snapshot) (*Snapshot, error) {
	if prev != nil && prev.sums == nil {
		prev = nil // not read by a store
	}
	for range readThenWriteTries {
		snap, err := s.snapshotInParts(prev, true)
		if !errors.Is(err, errChanged) {
			return snap, err
		}
	}
	return s.snapshotInParts(prev, false) // a store that keeps changing: one transaction
}

// defaultSnapshotChunk is how many partner or production records a
// snapshot read in parts reads per transaction: about 3 MB of the file's
// pages.
const defaultSnapshotChunk = 20_000

// snapshotInParts reads the partners and the production a chunk of
// records per read transaction, then the history, when apart is set: the
// file's pages are then mapped a few megabytes at a time, not all
// together (~25 MB of RSS at 100k partners, while a reload holds two
// programs' worth of heap). Every transaction must read the state the
// first one read, else errChanged. Not apart, it reads it all in one
// transaction.
func (s *Store) snapshotInParts(prev *Snapshot, apart bool) (*Snapshot, error) {
	rd := &snapshotRead{snap: &Snapshot{seed: maphash.MakeSeed()}, prev: prev}
	if prev != nil {
		rd.snap.seed = prev.seed
	}
	// same checks that tx reads the state the first transaction read.
	same := func(tx *bolt.Tx) error {
		v, err := s.versionOf(tx)
		switch {
		case err != nil:
			return err
		case rd.snap.Version.file == nil:
			rd.snap.Version = v
		case !v.Same(rd.snap.Version):
			return errChanged
		}
		return nil
	}
	limit := cmp.Or(s.snapshotChunk, defaultSnapshotChunk)
	if !apart {
		limit = math.MaxInt
	}
	for first := true; rd.stage != readDone; first = false {
		if !first && betweenReads != nil {
			betweenReads()
		}
		err := s.view(func(tx *bolt.Tx) error {
			if err := same(tx); err != nil {
				return err
			}
			for {
				more, err := rd.step(tx, limit)
				if err != nil || !more || apart {
					return err
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return rd.snap, nil
}

// snapshotRead is a snapshot being read: what is read so far and where
// the next chunk begins.
type snapshotRead struct {
	snap, prev *Snapshot
	stage      int
	next       []byte      // the key the stage's next chunk begins at; nil: the first
	old        []recordSum // prev's sums from the record being read on
	sums       []recordSum // production: this snapshot's, from the partner being read on
	names      []string    // production: the metric names
	sb         model.SeriesBuilder
	reused     int // production: series taken from prev
	scratch    []byte
}

// The stages of a snapshot read.
const (
	readingPartners = iota
	readingProduction
	readingHistory
	readDone
)

// step reads the next chunk of at most limit records, or the history;
// more reports whether anything is left to read.
func (rd *snapshotRead) step(tx *bolt.Tx, limit int) (more bool, err error) {
	switch rd.stage {
	case readingPartners:
		err = rd.partners(tx, limit)
	case readingProduction:
		err = rd.production(tx, limit)
	case readingHistory:
		err = rd.history(tx)
	}
	return rd.stage != readDone, err
}

// cursor is a bucket's cursor at the stage's next chunk.
func (rd *snapshotRead) cursor(b *bolt.Bucket) (*bolt.Cursor, []byte, []byte) {
	c := b.Cursor()
	if rd.next == nil {
		k, v := c.First()
		return c, k, v
	}
	k, v := c.Seek(rd.next)
	return c, k, v
}

// finish ends a stage's chunk at k: the next chunk begins there, or, at
// the end of the bucket, the next stage.
func (rd *snapshotRead) finish(k []byte) {
	rd.next = bytes.Clone(k)
	if k == nil {
		rd.stage++
	}
}

// partners reads partners in id order, taking prev's for records prev
// read the same.
func (rd *snapshotRead) partners(tx *bolt.Tx, limit int) error {
	snap, prev := rd.snap, rd.prev
	b := tx.Bucket(bucketPartners)
	if rd.next == nil {
		n := countKeys(b)
		snap.Partners, snap.sums = make([]model.Partner, 0, n), make([]recordSum, 0, n)
		if prev != nil {
			rd.old = prev.sums
		}
	}
	c, k, v := rd.cursor(b)
	for n := 0; k != nil && n < limit; k, v = c.Next() {
		n++
		sum := maphash.Bytes(snap.seed, v)
		for len(rd.old) > 0 && rd.old[0].id < string(k) {
			rd.old = rd.old[1:]
		}
		var p model.Partner
		if old := rd.old; len(old) > 0 && old[0].id == string(k) && old[0].partner == sum {
			p = prev.Partners[old[0].at]
		} else {
			var err error
			if p, err = decodePartnerKV(k, v, &rd.scratch); err != nil {
				return fmt.Errorf("partner %q: %w", k, err)
			}
		}
		snap.Partners = append(snap.Partners, p)
		snap.sums = append(snap.sums, recordSum{id: p.ID, partner: sum})
	}
	rd.finish(k)
	return nil
}

// production reads series, taking prev's for records prev read the same
// with the same metric names. Series are keyed by their partners' id
// strings, not copies. At its end the partners are sorted by name.
func (rd *snapshotRead) production(tx *bolt.Tx, limit int) error {
	snap, prev := rd.snap, rd.prev
	if rd.next == nil {
		names, err := metricNames(tx)
		if err != nil {
			return err
		}
		var h maphash.Hash
		h.SetSeed(snap.seed)
		for _, name := range names {
			h.WriteString(name)
			h.WriteByte(0)
		}
		rd.names, snap.names = names, h.Sum64()
		rd.old, rd.sums = nil, snap.sums
		if prev != nil && prev.names == snap.names {
			rd.old = prev.sums
		}
		snap.Production = make(map[string]model.Series, len(snap.Partners))
	}
	c, k, v := rd.cursor(tx.Bucket(bucketProduction))
	for n := 0; k != nil && n < limit; k, v = c.Next() {
		n++
		for len(rd.sums) > 0 && rd.sums[0].id < string(k) {
			rd.sums = rd.sums[1:]
		}
		if len(rd.sums) == 0 || rd.sums[0].id != string(k) {
			// Production of a partner the store does not have.
			series, err := decodeSeries(v, rd.names, &rd.sb)
			if err != nil {
				return fmt.Errorf("production of %q: %w", k, err)
			}
			snap.Production[string(k)] = series
			continue
		}
		id, sum := rd.sums[0].id, maphash.Bytes(snap.seed, v)
		rd.sums[0].production = sum
		for len(rd.old) > 0 && rd.old[0].id < id {
			rd.old = rd.old[1:]
		}
		if old := rd.old; len(old) > 0 && old[0].id == id && old[0].production == sum {
			if series, ok := prev.Production[id]; ok {
				rd.sb.Include(series)
				snap.Production[id] = series
				rd.reused++
				continue
			}
		}
		series, err := decodeSeries(v, rd.names, &rd.sb)
		if err != nil {
			return fmt.Errorf("production of %q: %w", k, err)
		}
		snap.Production[id] = series
	}
	rd.finish(k)
	if rd.stage != readingProduction {
		if prev != nil && rd.reused == len(snap.Production) && rd.reused == len(prev.Production) {
			// Nothing changed: keep prev's map, not a second one of 100k keys.
			snap.Production = prev.Production
		}
		snap.Periods = rd.sb.Periods()
		for i, j := range sortByName(snap.Partners) {
			snap.sums[j].at = i
		}
	}
	return nil
}

// history reads every partner's history, oldest first.
func (rd *snapshotRead) history(tx *bolt.Tx) error {
	snap := rd.snap
	snap.History = map[string][]model.History{}
	err := scanRecords(tx.Bucket(bucketHistory), func(d *dec, keyLen int) error {
		h, _, err := decodeHistoryDec(d, keyLen)
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		snap.History[h.Partner] = append(snap.History[h.Partner], h)
		return nil
	})
	rd.stage = readDone
	return err
}

// WithMoves is s with a finalized review's moves applied, as
// FinalizeReview returns them: each moved partner's tier and tier-since
// and its new history entries, as a read of the store would decode them.
// Everything else is s's, shared, and s is only read. The app shows a
// finalize this way rather than read 100k partners again beside the
// ones on screen. The result has no Version (it is no state of the store
// read whole), so the next check of the store's version reads it again;
// its sums are those of the records it holds, so that read shares them.
// An error when s lacks a moved partner.
func (s *Snapshot) WithMoves(moves []model.History) (*Snapshot, error) {
	at := make(map[string]int, len(moves))
	for _, h := range moves {
		at[h.Partner] = -1
	}
	for i := range s.Partners {
		if _, ok := at[s.Partners[i].ID]; ok {
			at[s.Partners[i].ID] = i
		}
	}
	out := *s
	out.Version = Version{}
	out.Partners = slices.Clone(s.Partners)
	out.History = maps.Clone(s.History)
	if out.History == nil {
		out.History = map[string][]model.History{}
	}
	out.sums = slices.Clone(s.sums)
	var scratch []byte
	for _, h := range moves {
		i := at[h.Partner]
		if i < 0 {
			return nil, fmt.Errorf("moves: partner %q is not in the snapshot", h.Partner)
		}
		p := out.Partners[i]
		h.Apply(&p)
		rec := encodePartner(&p)
		p, err := decodePartner(p.ID, rec)
		if err != nil {
			return nil, fmt.Errorf("moves: partner %q: %w", h.Partner, err)
		}
		out.Partners[i] = p
		if j, ok := slices.BinarySearchFunc(out.sums, p.ID, func(r recordSum, id string) int { return strings.Compare(r.id, id) }); ok {
			out.sums[j].partner = maphash.Bytes(out.seed, rec)
		}
		stored, _, err := decodeHistory(historyKey(h.Partner, 0), historyRecord(h), &scratch)
		if err != nil {
			return nil, fmt.Errorf("moves: history of %q: %w", h.Partner, err)
		}
		// A new slice: s's entries' array is s's, however much room it has.
		out.History[h.Partner] = append(slices.Clip(out.History[h.Partner]), stored)
	}
	return &out, nil
}
