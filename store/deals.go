package store

import (
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
)

// DealColumns maps a deals export's columns; see csvin.DealColumns.
type DealColumns = csvin.DealColumns

// ImportDeals imports a CRM deal or opportunity export (csvin.ParseDeals)
// in one transaction. Each deal's partner cell is resolved like a
// production row's, and the deal is stored by its id: a deal already
// stored is replaced (the later import wins) and moves if its partner
// changed, so a deal in several exports counts once.
//
// Then every deal of each partner concerned (the partners the file's deals
// count for, and those a deal moved away from) is aggregated again
// (model.AggregateDeals) and the deal metrics the program defines are
// written for every period the partner's deals count in, and for every
// period they counted in before: a value the deals no longer give is
// removed, so a partner's deal metrics are always its stored deals'
// aggregate. Other metrics in those periods (certified reps, joint
// customers) are kept. With opts.Period the deals that do not count in it
// are ignored (ImportReport.Outside); the ones read are stored whole, and
// every period their partners' stored deals touch is written again, so a
// deal whose date or partner changed leaves no stale value behind. A deal
// the file gives no partner (a direct deal now) leaves the partner an
// earlier import stored it for.
//
// Bad rows and unknown or ambiguous partners reject the file and nothing
// is written, unless SkipBad; CreatePartners adds unknown partners at the
// entry tier, joined at the start of the period of their earliest deal.
// The same content imported again is a no-op.
func (s *Store) ImportDeals(name string, data []byte, prog *model.Program, cols csvin.DealColumns, opts ImportOptions) (ImportReport, error) {
	rep, hash, now, done, err := s.beginImport(name, data, prog, opts, KindDeals, readingOf(cols, prog))
	if done || err != nil {
		return rep, err
	}
	name = rep.File
	ds, err := csvin.ParseDeals(name, data, cols)
	if err != nil {
		return fileError(rep, err)
	}
	rows := ds.Rows
	if !opts.Period.IsZero() {
		rows = slices.DeleteFunc(slices.Clone(rows), func(r csvin.DealRow) bool { return !r.CountsIn(opts.Period) })
		rep.Outside = len(ds.Rows) - len(rows)
	}
	rep.Rows = len(ds.Rows) + len(ds.Bad) + ds.Direct
	rep.Warnings = ds.Warnings
	partnerColumn := ds.Columns[csvin.DealPartner]
	err = s.importTx(opts, &rep, func(tx *bolt.Tx) error {
		if r, ok := priorImport(tx, hash, KindDeals); ok {
			rep.AlreadyImported, rep.Rows = true, r.Rows
			return errNoChange
		}
		rp := newRowPartners(tx, name, partnerColumn, prog, opts.CreatePartners)
		var good []model.Deal
		for _, r := range rows {
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
		rec := ImportRecord{File: name, Kind: KindDeals, At: now}
		return writeProduction(tx, opts, &rep, hash, rec, len(good), func(m *merger) error {
			return applyDeals(tx, m, good, ds.DirectIDs, prog, opts)
		})
	})
	return rep, err
}
