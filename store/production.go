package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// Series reads one partner's production by period; a partner without
// production has an empty Series.
func (s *Store) Series(id string) (model.Series, error) {
	var out model.Series
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketProduction).Get([]byte(id))
		if v == nil {
			return nil
		}
		names, err := metricNames(tx)
		if err != nil {
			return err
		}
		var b model.SeriesBuilder
		if out, err = decodeSeries(v, names, &b); err != nil {
			return fmt.Errorf("production of %q: %w", id, err)
		}
		return nil
	})
	return out, err
}

// PutProduction merges values into partners' production in one
// transaction: each value replaces the one stored for its partner, period
// and metric; values not given are kept. NaN values are ignored.
func (s *Store) PutProduction(ps []model.Production) error {
	for _, p := range ps {
		if p.Partner == "" || p.Period.IsZero() {
			return fmt.Errorf("production: every entry needs a partner and a period")
		}
	}
	return s.update(func(tx *bolt.Tx) error {
		m := newMerger(tx)
		for _, p := range ps {
			if err := m.merge(p.Partner, p.Period, p.Values); err != nil {
				return err
			}
		}
		return m.flush()
	})
}

// merger gathers production changes per partner inside a write
// transaction and writes each partner's record once.
type merger struct {
	tx      *bolt.Tx
	ids     map[string]uint64 // metric key → number
	names   []string
	pending map[string]seriesValues
	order   []string
	b       model.SeriesBuilder
}

func newMerger(tx *bolt.Tx) *merger {
	return &merger{tx: tx, pending: map[string]seriesValues{}}
}

// merge sets values (NaN ones skipped) in partner's period.
func (m *merger) merge(partner string, period model.Period, values map[string]float64) error {
	s, err := m.series(partner)
	if err != nil {
		return err
	}
	for k, v := range values {
		if err := m.set(s, period, k, v); err != nil {
			return err
		}
	}
	return nil
}

// mergeValues sets vals[i] as metric keys[i] in partner's period, skipping NaN.
func (m *merger) mergeValues(partner string, period model.Period, keys []string, vals []float64) error {
	s, err := m.series(partner)
	if err != nil {
		return err
	}
	for i, k := range keys {
		if err := m.set(s, period, k, vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// series is partner's production as the transaction will write it.
func (m *merger) series(partner string) (seriesValues, error) {
	if m.ids == nil {
		if err := m.loadMetrics(); err != nil {
			return nil, err
		}
	}
	if s, ok := m.pending[partner]; ok {
		return s, nil
	}
	s := seriesValues{}
	if v := m.tx.Bucket(bucketProduction).Get([]byte(partner)); v != nil {
		old, err := decodeSeries(v, m.names, &m.b)
		if err != nil {
			return nil, fmt.Errorf("production of %q: %w", partner, err)
		}
		s = old.Map()
	}
	m.pending[partner] = s
	m.order = append(m.order, partner)
	return s, nil
}

func (m *merger) set(s seriesValues, period model.Period, key string, v float64) error {
	if math.IsNaN(v) {
		return nil
	}
	if err := m.metricID(key); err != nil {
		return err
	}
	vals := s[period]
	if vals == nil {
		vals = map[string]float64{}
		s[period] = vals
	}
	vals[key] = v
	return nil
}

func (m *merger) flush() error {
	b := m.tx.Bucket(bucketProduction)
	slices.Sort(m.order) // sorted puts: see putPartners
	var periods []model.Period
	for _, id := range m.order {
		for p := range m.pending[id] {
			if !slices.Contains(periods, p) {
				periods = append(periods, p)
			}
		}
		if err := b.Put([]byte(id), encodeSeries(m.pending[id], m.ids)); err != nil {
			return err
		}
	}
	if len(m.order) == 0 {
		return nil
	}
	return addPeriods(m.tx, periods)
}

func (m *merger) loadMetrics() error {
	m.ids = map[string]uint64{}
	names, err := metricNames(m.tx)
	if err != nil {
		return err
	}
	m.names = names
	for i, k := range names {
		if k != "" {
			m.ids[k] = uint64(i)
		}
	}
	return nil
}

// metricID makes sure key has a number in the metric dictionary.
func (m *merger) metricID(key string) error {
	if _, ok := m.ids[key]; ok {
		return nil
	}
	if key == "" {
		return fmt.Errorf("production: a value has no metric key")
	}
	b := m.tx.Bucket(bucketMetrics)
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	if err := b.Put([]byte(key), binary.AppendUvarint(nil, id)); err != nil {
		return err
	}
	m.ids[key] = id
	return nil
}

// metricNames reads the metric dictionary: number → key ("" for unused).
func metricNames(tx *bolt.Tx) ([]string, error) {
	var names []string
	err := tx.Bucket(bucketMetrics).ForEach(func(k, v []byte) error {
		id, n := binary.Uvarint(v)
		if n <= 0 || id > 1<<20 {
			return fmt.Errorf("metric dictionary: %q: %w", k, errCorrupt)
		}
		for uint64(len(names)) <= id {
			names = append(names, "")
		}
		names[id] = string(k)
		return nil
	})
	return names, err
}

// Periods lists every period that has production, oldest first. It reads
// the list the store keeps beside the production (meta "periods"), not the
// production itself.
func (s *Store) Periods() ([]model.Period, error) {
	var out []model.Period
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readPeriods(tx)
		return err
	})
	return out, err
}

// readPeriods reads the list of periods with production, or, in a store
// without one, gathers it from the production records.
func readPeriods(tx *bolt.Tx) ([]model.Period, error) {
	if v := tx.Bucket(bucketMeta).Get(keyPeriods); v != nil {
		d := dec{b: v}
		if d.byte() != recordV1 {
			return nil, fmt.Errorf("period list: %w", errCorrupt)
		}
		out := make([]model.Period, d.count())
		for i := range out {
			out[i] = d.period()
		}
		if d.bad {
			return nil, fmt.Errorf("period list: %w", errCorrupt)
		}
		return out, nil
	}
	return scanPeriods(tx)
}

// scanPeriods gathers the periods of every production record.
func scanPeriods(tx *bolt.Tx) ([]model.Period, error) {
	seen := map[model.Period]bool{}
	var out []model.Period
	err := tx.Bucket(bucketProduction).ForEach(func(k, v []byte) error {
		ps, err := seriesPeriods(v)
		if err != nil {
			return fmt.Errorf("production of %q: %w", k, err)
		}
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
		return nil
	})
	sortPeriods(out)
	return out, err
}

// addPeriods adds periods to the stored list, writing it only if it grew.
func addPeriods(tx *bolt.Tx, add []model.Period) error {
	have, err := readPeriods(tx)
	if err != nil {
		return err
	}
	all := slices.Clone(have)
	for _, p := range add {
		if !slices.Contains(all, p) {
			all = append(all, p)
		}
	}
	if len(all) == len(have) && tx.Bucket(bucketMeta).Get(keyPeriods) != nil {
		return nil
	}
	sortPeriods(all)
	e := enc{}
	e.byte(recordV1)
	e.uvarint(uint64(len(all)))
	for _, p := range all {
		e.period(p)
	}
	return tx.Bucket(bucketMeta).Put(keyPeriods, e.b)
}
