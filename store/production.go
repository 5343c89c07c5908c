package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

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
	// before holds each partner's production as the transaction found it,
	// when the merger collects Changes (a dry run).
	before map[string]seriesValues
	// emptied says a partner lost every value of some period: the stored
	// list of periods is gathered again at flush, so a period no partner
	// has production in any more is not taken for the current one.
	emptied bool
}

func newMerger(tx *bolt.Tx) *merger {
	return &merger{tx: tx, pending: map[string]seriesValues{}}
}

// collectChanges makes the merger keep what it replaces, for changes.
func (m *merger) collectChanges() { m.before = map[string]seriesValues{} }

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
	if m.before != nil {
		m.before[partner] = cloneSeries(s)
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

// clear removes metric key from a series' period; a period left without
// values is removed.
func (m *merger) clear(s seriesValues, period model.Period, key string) {
	if vals, ok := s[period]; ok {
		delete(vals, key)
		if len(vals) == 0 {
			delete(s, period)
			m.emptied = true
		}
	}
}

// flush writes every partner the merger touched, skipping records that
// did not change (a deal export imported again rewrites nothing) and
// deleting those left empty.
func (m *merger) flush() error {
	b := m.tx.Bucket(bucketProduction)
	slices.Sort(m.order) // sorted puts: see putPartners
	var periods []model.Period
	for _, id := range m.order {
		s := m.pending[id]
		for p := range s {
			if !slices.Contains(periods, p) {
				periods = append(periods, p)
			}
		}
		old := b.Get([]byte(id))
		if len(s) == 0 {
			if old != nil {
				if err := b.Delete([]byte(id)); err != nil {
					return fmt.Errorf("production of %q: %w", id, err)
				}
			}
			continue
		}
		v := encodeSeries(s, m.ids)
		if bytes.Equal(old, v) {
			continue
		}
		if err := b.Put([]byte(id), v); err != nil {
			return fmt.Errorf("production of %q: %w", id, err)
		}
	}
	if len(m.order) == 0 {
		return nil
	}
	if m.emptied {
		all, err := scanPeriods(m.tx)
		if err != nil {
			return err
		}
		return writePeriods(m.tx, all)
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
	return writePeriods(tx, all)
}

// writePeriods stores the list of periods that have production.
func writePeriods(tx *bolt.Tx, all []model.Period) error {
	sortPeriods(all)
	e := enc{}
	e.byte(recordV1)
	e.uvarint(uint64(len(all)))
	for _, p := range all {
		e.period(p)
	}
	return tx.Bucket(bucketMeta).Put(keyPeriods, e.b)
}

// changes lists what the merger changes, per partner and period, in
// partner and period order; partners whose production stays the same are
// left out. Only a merger that collects changes has any.
func (m *merger) changes() []Change {
	var out []Change
	ids := slices.Clone(m.order)
	slices.Sort(ids)
	for _, id := range ids {
		before, after := m.before[id], m.pending[id]
		periods := make([]model.Period, 0, len(after))
		for p := range before {
			periods = append(periods, p)
		}
		for p := range after {
			if _, ok := before[p]; !ok {
				periods = append(periods, p)
			}
		}
		slices.SortFunc(periods, model.Period.Compare)
		for _, p := range periods {
			if vs := valueChanges(before[p], after[p]); len(vs) > 0 {
				out = append(out, Change{Partner: id, Period: p, Values: vs})
			}
		}
	}
	return out
}

// valueChanges compares one period's values, by metric key.
func valueChanges(before, after map[string]float64) []ValueChange {
	var out []ValueChange
	for k, v := range before {
		w, ok := after[k]
		if !ok || w != v {
			out = append(out, ValueChange{Metric: k, From: v, To: w, Removed: !ok})
		}
	}
	for k, w := range after {
		if _, ok := before[k]; !ok {
			out = append(out, ValueChange{Metric: k, To: w, Added: true})
		}
	}
	slices.SortFunc(out, func(a, b ValueChange) int { return strings.Compare(a.Metric, b.Metric) })
	return out
}

func cloneSeries(s seriesValues) seriesValues {
	out := make(seriesValues, len(s))
	for p, vals := range s {
		out[p] = maps.Clone(vals)
	}
	return out
}
