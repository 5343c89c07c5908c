package store

import (
	"errors"
	"fmt"
	"hash/maphash"

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

// snapshotInParts reads the partners, the production and the history each
// in a read transaction of its own when apart is set, so that the file's
// pages are mapped a part at a time (at 100k partners ~15 MB rather than
// ~40 MB of RSS while a reload holds two programs' worth of heap); all
// three must read the same state of the same file, else errChanged. Not
// apart, it reads all three in one transaction.
func (s *Store) snapshotInParts(prev *Snapshot, apart bool) (*Snapshot, error) {
	snap := &Snapshot{seed: maphash.MakeSeed()}
	if prev != nil {
		snap.seed = prev.seed
	}
	parts := []func(tx *bolt.Tx) error{
		func(tx *bolt.Tx) error { return snap.readPartners(tx, prev) },
		func(tx *bolt.Tx) error {
			if err := snap.readProduction(tx, prev); err != nil {
				return err
			}
			for i, j := range sortByName(snap.Partners) {
				snap.sums[j].at = i
			}
			return nil
		},
		func(tx *bolt.Tx) error {
			snap.History = map[string][]model.History{}
			return scanRecords(tx.Bucket(bucketHistory), func(d *dec, keyLen int) error {
				h, _, err := decodeHistoryDec(d, keyLen)
				if err != nil {
					return fmt.Errorf("history: %w", err)
				}
				snap.History[h.Partner] = append(snap.History[h.Partner], h)
				return nil
			})
		},
	}
	// same checks that tx reads the state the first part read.
	same := func(tx *bolt.Tx) error {
		v, err := s.versionOf(tx)
		switch {
		case err != nil:
			return err
		case snap.Version.file == nil:
			snap.Version = v
		case !v.Same(snap.Version):
			return errChanged
		}
		return nil
	}
	if !apart {
		err := s.view(func(tx *bolt.Tx) error {
			if err := same(tx); err != nil {
				return err
			}
			for _, part := range parts {
				if err := part(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return snap, nil
	}
	for i, part := range parts {
		if i > 0 && betweenReads != nil {
			betweenReads()
		}
		if err := s.view(func(tx *bolt.Tx) error {
			if err := same(tx); err != nil {
				return err
			}
			return part(tx)
		}); err != nil {
			return nil, err
		}
	}
	return snap, nil
}

// readPartners reads every partner in id order, taking prev's for records
// prev read the same.
func (snap *Snapshot) readPartners(tx *bolt.Tx, prev *Snapshot) error {
	b := tx.Bucket(bucketPartners)
	n := countKeys(b)
	snap.Partners, snap.sums = make([]model.Partner, 0, n), make([]recordSum, 0, n)
	var (
		old     []recordSum // prev's sums from the partner being read on
		scratch []byte
	)
	if prev != nil {
		old = prev.sums
	}
	return b.ForEach(func(k, v []byte) error {
		sum := maphash.Bytes(snap.seed, v)
		for len(old) > 0 && old[0].id < string(k) {
			old = old[1:]
		}
		var p model.Partner
		if len(old) > 0 && old[0].id == string(k) && old[0].partner == sum {
			p = prev.Partners[old[0].at]
		} else {
			var err error
			if p, err = decodePartnerKV(k, v, &scratch); err != nil {
				return fmt.Errorf("partner %q: %w", k, err)
			}
		}
		snap.Partners = append(snap.Partners, p)
		snap.sums = append(snap.sums, recordSum{id: p.ID, partner: sum})
		return nil
	})
}

// readProduction reads every series, taking prev's for records prev read
// the same with the same metric names. Series are keyed by their
// partners' id strings, not copies.
func (snap *Snapshot) readProduction(tx *bolt.Tx, prev *Snapshot) error {
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
	snap.names = h.Sum64()
	var old []recordSum
	if prev != nil && prev.names == snap.names {
		old = prev.sums
	}
	snap.Production = make(map[string]model.Series, len(snap.Partners))
	// One builder: the series share their periods, keys and values'
	// allocations, and it knows every period it has seen.
	var sb model.SeriesBuilder
	sums := snap.sums // from the partner being read on
	err = tx.Bucket(bucketProduction).ForEach(func(k, v []byte) error {
		for len(sums) > 0 && sums[0].id < string(k) {
			sums = sums[1:]
		}
		if len(sums) == 0 || sums[0].id != string(k) {
			// Production of a partner the store does not have.
			series, err := decodeSeries(v, names, &sb)
			if err != nil {
				return fmt.Errorf("production of %q: %w", k, err)
			}
			snap.Production[string(k)] = series
			return nil
		}
		id, sum := sums[0].id, maphash.Bytes(snap.seed, v)
		sums[0].production = sum
		for len(old) > 0 && old[0].id < id {
			old = old[1:]
		}
		if len(old) > 0 && old[0].id == id && old[0].production == sum {
			if series, ok := prev.Production[id]; ok {
				sb.Include(series)
				snap.Production[id] = series
				return nil
			}
		}
		series, err := decodeSeries(v, names, &sb)
		if err != nil {
			return fmt.Errorf("production of %q: %w", k, err)
		}
		snap.Production[id] = series
		return nil
	})
	if err != nil {
		return err
	}
	snap.Periods = sb.Periods()
	return nil
}
