package store

import (
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// DealColumns maps a deals export's columns; see csvin.DealColumns.
type DealColumns = csvin.DealColumns

// ImportDeals imports a CRM deal or opportunity export (csvin.ParseDeals)
// in one transaction. Each deal's partner cell is resolved like a
// production row's; the deals are aggregated per partner and period
// (model.AggregateDeals) and the metrics the program defines are merged
// into those periods, replacing the values there (metrics it does not
// define are skipped). Bad rows and unknown or ambiguous partners reject
// the file and nothing is written, unless SkipBad; CreatePartners adds
// unknown partners at the entry tier, joined at the start of the period
// of their earliest deal. The same content imported again is a no-op.
func (s *Store) ImportDeals(name string, data []byte, prog *model.Program, cols csvin.DealColumns, opts ImportOptions) (ImportReport, error) {
	name = safetext.Clean(name)
	rep := ImportReport{File: name}
	if err := checkProgram(prog); err != nil {
		return rep, err
	}
	now := s.importTime(opts)
	hash := contentHash(data)
	if done, err := s.alreadyImported(&rep, hash, KindDeals); done || err != nil {
		return rep, err
	}
	ds, err := csvin.ParseDeals(name, data, cols)
	if err != nil {
		return fileError(rep, err)
	}
	rep.Rows = len(ds.Rows) + len(ds.Bad) + ds.Direct
	rep.Warnings = ds.Warnings
	partnerColumn := ds.Columns[csvin.DealPartner]
	err = s.update(func(tx *bolt.Tx) error {
		if r, ok := priorImport(tx, hash, KindDeals); ok {
			rep.AlreadyImported, rep.Rows = true, r.Rows
			return errNoChange
		}
		rp := newRowPartners(tx, name, partnerColumn, prog, opts.CreatePartners)
		var good []model.Deal
		for _, r := range ds.Rows {
			id, ok := rp.id(r.Partner, r.Line, model.PeriodOf(r.Created, prog.Cadence).Start())
			if !ok {
				continue
			}
			d := r.Deal
			d.Partner = id
			good = append(good, d)
		}
		if err := rp.settle(tx, &rep, ds.Bad, opts.SkipBad); err != nil {
			return err
		}
		agg := model.AggregateDeals(good, prog.Cadence)
		m := newMerger(tx)
		partners := make([]string, 0, len(agg))
		for id := range agg {
			partners = append(partners, id)
		}
		slices.Sort(partners)
		for _, id := range partners {
			periods := agg[id]
			keys := make([]model.Period, 0, len(periods))
			for p := range periods {
				keys = append(keys, p)
			}
			slices.SortFunc(keys, model.Period.Compare)
			for _, p := range keys {
				values := map[string]float64{}
				for k, v := range periods[p] {
					if _, ok := prog.Metric(k); ok {
						values[k] = v
					}
				}
				if len(values) == 0 {
					continue
				}
				if err := m.merge(id, p, values); err != nil {
					return err
				}
			}
		}
		if err := m.flush(); err != nil {
			return err
		}
		rep.Written = len(good)
		return logImport(tx, hash, ImportRecord{File: name, Kind: KindDeals, At: now,
			Rows: rep.Rows, Written: rep.Written, Bad: len(rep.Bad), Created: len(rep.Created)})
	})
	if err != nil {
		rep.Written, rep.Created = 0, nil
	}
	return rep, err
}
