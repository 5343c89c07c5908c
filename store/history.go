package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// History lists one partner's tier changes, oldest first.
func (s *Store) History(id string) ([]model.History, error) {
	var out []model.History
	err := s.view(func(tx *bolt.Tx) error {
		prefix := append([]byte(id), 0)
		c := tx.Bucket(bucketHistory).Cursor()
		var scratch []byte
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			h, _, err := decodeHistory(k, v, &scratch)
			if err != nil {
				return fmt.Errorf("history of %q: %w", id, err)
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}

// AllHistory lists every partner's tier changes in the order they were
// appended, oldest first.
func (s *Store) AllHistory() ([]model.History, error) {
	var out []model.History
	err := s.view(func(tx *bolt.Tx) (err error) {
		out, err = readHistory(tx)
		return err
	})
	return out, err
}

// readHistory is every tier change in tx, in the order appended.
func readHistory(tx *bolt.Tx) ([]model.History, error) {
	type entry struct {
		seq uint64
		h   model.History
	}
	var all []entry
	err := scanRecords(tx.Bucket(bucketHistory), func(d *dec, keyLen int) error {
		h, seq, err := decodeHistoryDec(d, keyLen)
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		all = append(all, entry{seq, h})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b entry) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]model.History, len(all))
	for i := range all {
		out[i] = all[i].h
	}
	return out, nil
}

// AppendHistory appends entries in one transaction, in the order given.
// History is never edited; text fields are cleaned (CleanText).
func (s *Store) AppendHistory(hs ...model.History) error {
	for _, h := range hs {
		if h.Partner == "" || model.Slug(h.Partner) != h.Partner {
			return fmt.Errorf("history: partner id %q is not an id", h.Partner)
		}
	}
	return s.update(func(tx *bolt.Tx) error { return appendHistory(tx, hs) })
}

// appendHistory numbers the entries in the order given, then writes them
// in key order (sorted puts: see putPartners).
func appendHistory(tx *bolt.Tx, hs []model.History) error {
	b := tx.Bucket(bucketHistory)
	type kv struct{ k, v []byte }
	out := make([]kv, 0, len(hs))
	for _, h := range hs {
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		out = append(out, kv{historyKey(h.Partner, seq), historyRecord(h)})
	}
	slices.SortFunc(out, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	for _, x := range out {
		if err := b.Put(x.k, x.v); err != nil {
			return err
		}
	}
	return nil
}

// historyRecord is the record an entry is stored as, its text cleaned.
func historyRecord(h model.History) []byte {
	h.From = safetext.Clean(h.From)
	h.To = safetext.Clean(h.To)
	h.Reason = safetext.Clean(h.Reason)
	h.By = safetext.Clean(h.By)
	return encodeHistory(&h)
}

func historyKey(id string, seq uint64) []byte {
	k := make([]byte, 0, len(id)+9)
	k = append(k, id...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}
