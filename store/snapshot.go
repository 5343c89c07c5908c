package store

import (
	"fmt"

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
}

// Snapshot reads every partner (sorted by name, ignoring case), their
// production and history, and the periods that have production, in one
// read transaction.
func (s *Store) Snapshot() (*Snapshot, error) {
	snap := &Snapshot{}
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		if snap.Version, err = s.versionOf(tx); err != nil {
			return err
		}
		// Partners come in id order, like production: walk both together
		// so the production map reuses the partners' id strings.
		if snap.Partners, err = readPartnersByID(tx); err != nil {
			return err
		}
		byID := snap.Partners
		names, err := metricNames(tx)
		if err != nil {
			return err
		}
		snap.Production = make(map[string]model.Series, len(snap.Partners))
		// One builder: the series share their periods, keys and values'
		// allocations, and it knows every period it has seen.
		var sb model.SeriesBuilder
		err = tx.Bucket(bucketProduction).ForEach(func(k, v []byte) error {
			series, err := decodeSeries(v, names, &sb)
			if err != nil {
				return fmt.Errorf("production of %q: %w", k, err)
			}
			for len(byID) > 0 && byID[0].ID < string(k) {
				byID = byID[1:]
			}
			id := ""
			if len(byID) > 0 && byID[0].ID == string(k) {
				id = byID[0].ID
			} else {
				id = string(k) // production of a partner the store does not have
			}
			snap.Production[id] = series
			return nil
		})
		if err != nil {
			return err
		}
		snap.Periods = sb.Periods()
		sortByName(snap.Partners)
		snap.History = map[string][]model.History{}
		return scanRecords(tx.Bucket(bucketHistory), func(d *dec, keyLen int) error {
			h, _, err := decodeHistoryDec(d, keyLen)
			if err != nil {
				return fmt.Errorf("history: %w", err)
			}
			snap.History[h.Partner] = append(snap.History[h.Partner], h)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}
