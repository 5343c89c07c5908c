package store

import (
	"fmt"
	"slices"
	"strings"

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
	rep.Rows = len(ds.Rows) + len(ds.Bad)
	rep.Warnings = ds.Warnings
	partnerColumn := ds.Columns[csvin.DealPartner]
	err = s.update(func(tx *bolt.Tx) error {
		if r, ok := priorImport(tx, hash, KindDeals); ok {
			rep.AlreadyImported, rep.Rows = true, r.Rows
			return errNoChange
		}
		bad := slices.Clone(ds.Bad)
		res := resolver{tx: tx, cache: map[string][]string{}}
		unknown := map[string]bool{}
		created := map[string]*model.Partner{}
		var createdOrder []string
		var good []model.Deal
		for _, r := range ds.Rows {
			ids := res.resolve(r.Partner)
			var id string
			switch {
			case len(ids) == 1:
				id = ids[0]
			case len(ids) > 1:
				bad = append(bad, RowError{File: name, Line: r.Line, Column: partnerColumn,
					Reason: fmt.Sprintf("%q is ambiguous: it names %s; use the id", r.Partner, strings.Join(ids, ", "))})
				continue
			default:
				unknown[r.Partner] = true
				if !opts.CreatePartners {
					bad = append(bad, RowError{File: name, Line: r.Line, Column: partnerColumn,
						Reason: fmt.Sprintf("unknown partner %q: no partner has that id, name or alias", r.Partner)})
					continue
				}
				id = model.Slug(r.Partner)
				if id == "" {
					bad = append(bad, RowError{File: name, Line: r.Line, Column: partnerColumn,
						Reason: fmt.Sprintf("unknown partner %q makes no id (it has no ASCII letters or digits): add it to the roster first", r.Partner)})
					continue
				}
				p, ok := created[id]
				if !ok {
					p = newPartnerFromProduction(id, r.Partner, prog)
					created[id] = p
					createdOrder = append(createdOrder, id)
				}
				if start := model.PeriodOf(r.Created, prog.Cadence).Start(); p.Joined.IsZero() || start.Before(p.Joined) {
					p.Joined, p.TierSince = start, start
				}
			}
			d := r.Deal
			d.Partner = id
			good = append(good, d)
		}
		sortRowErrors(bad)
		rep.Bad = bad
		rep.Unknown = sortedKeys(unknown)
		if len(bad) > 0 && !opts.SkipBad {
			return &RejectedError{File: name, Bad: bad}
		}
		news := make([]model.Partner, len(createdOrder))
		for i, id := range createdOrder {
			news[i] = *created[id]
		}
		if err := putPartners(tx, news); err != nil {
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
		rep.Written, rep.Created = len(good), createdOrder
		return logImport(tx, hash, ImportRecord{File: name, Kind: KindDeals, At: now,
			Rows: rep.Rows, Written: rep.Written, Bad: len(bad), Created: len(createdOrder)})
	})
	if err != nil {
		rep.Written, rep.Created = 0, nil
	}
	return rep, err
}
