package store

import (
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// applyDeals stores the deals of an import (their partners resolved, one
// per id) and merges the deal metrics of every partner concerned into m,
// one partner at a time so that memory holds the file's deals and one
// partner's stored deals, not every deal in the store. direct are the
// ids the file gives no partner: a stored one leaves its partner.
func applyDeals(tx *bolt.Tx, m *merger, deals []model.Deal, direct []string, prog *model.Program, opts ImportOptions) error {
	st, err := openDealStore(tx)
	if err != nil {
		return err
	}
	// The file's deals by partner, and the deals leaving a partner for
	// another, or for none.
	incoming := map[string][]*model.Deal{}
	leaving := map[string][]string{}
	for i := range deals {
		d := &deals[i]
		incoming[d.Partner] = append(incoming[d.Partner], d)
		if was := st.partnerOf(d.ID); was != "" && was != d.Partner {
			leaving[was] = append(leaving[was], d.ID)
		}
	}
	for _, id := range direct {
		if was := st.partnerOf(id); was != "" {
			leaving[was] = append(leaving[was], id)
			st.forget(id)
		}
	}
	partners := make([]string, 0, len(incoming)+len(leaving))
	for id := range incoming {
		partners = append(partners, id)
	}
	for id := range leaving {
		if _, ok := incoming[id]; !ok {
			partners = append(partners, id)
		}
	}
	slices.Sort(partners) // sorted writes: see putPartners

	var metrics []string // the deal metrics the program defines
	for _, k := range dealMetrics {
		if _, ok := prog.Metric(k); ok {
			metrics = append(metrics, k)
		}
	}
	done := 0
	for _, partner := range partners {
		stored, err := st.deals(partner)
		if err != nil {
			return err
		}
		before := aggregateOne(stored, prog.Cadence)
		for _, id := range leaving[partner] {
			delete(stored, id)
			if err := st.remove(partner, id); err != nil {
				return err
			}
		}
		in := incoming[partner]
		slices.SortFunc(in, func(a, b *model.Deal) int { return strings.Compare(a.ID, b.ID) })
		for _, d := range in {
			stored[d.ID] = *d
			if err := st.put(d); err != nil {
				return err
			}
		}
		after := aggregateOne(stored, prog.Cadence)
		if err := mergeDealMetrics(m, partner, before, after, metrics); err != nil {
			return err
		}
		if opts.Progress != nil {
			done += len(in)
			opts.Progress(done, len(deals))
		}
	}
	return st.flush()
}

// aggregateOne is AggregateDeals for one partner's deals: period → metric → value.
func aggregateOne(deals map[string]model.Deal, cadence model.Cadence) map[model.Period]map[string]float64 {
	list := make([]model.Deal, 0, len(deals))
	for _, d := range deals {
		list = append(list, d)
	}
	for _, periods := range model.AggregateDeals(list, cadence) {
		return periods // one partner: the only entry
	}
	return nil
}

// mergeDealMetrics sets partner's deal metrics to after in every period of
// before and after: a metric after does not give is removed. Only metrics
// are touched; others stay. Every such period is written, with --period
// too: the stored deals are the whole truth, and a deal read for one
// period may have counted in another before (its date or partner changed).
func mergeDealMetrics(m *merger, partner string, before, after map[model.Period]map[string]float64, metrics []string) error {
	periods := make([]model.Period, 0, len(before)+len(after))
	for p := range before {
		periods = append(periods, p)
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			periods = append(periods, p)
		}
	}
	s, err := m.series(partner)
	if err != nil {
		return err
	}
	for _, p := range periods {
		for _, k := range metrics {
			v, ok := after[p][k]
			if !ok {
				m.clear(s, p, k)
				continue
			}
			if err := m.set(s, p, k, v); err != nil {
				return err
			}
		}
	}
	return nil
}
