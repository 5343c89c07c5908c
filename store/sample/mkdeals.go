//go:build ignore

// This file is part of mkdata (`go run mkdata.go mkdeals.go`): it turns the
// drawn production into data/deals.csv, the Salesforce opportunity report
// the sample's deal-based metrics are imported from.
//
// Per partner and quarter the sourced deals created in the quarter add up
// to the drawn sourced pipeline, exactly: a first group is won in the
// quarter, sometimes one deal is won the next quarter instead, the rest is
// lost or still open. The won deals of a quarter (its own and the one
// carried in) add up to the drawn sourced revenue, which is never more than
// the pipeline, so no draw is redone. Registrations go on sourced deals
// first, then on influenced deals made for them. Every quarter a partner
// has production in gets at least one deal, so its deal metrics read zero,
// not absent; no deal falls before the sample's first quarter or before
// the partner joined.
package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/partnertiers/partnertiers/model"
)

var dealHeader = []string{
	"Opportunity ID", "Opportunity Name", "Account Name", "Partner Account", "Amount", "Stage",
	"Created Date", "Close Date", "Partner Sourced", "Deal Registration Date", "Next Step",
}

const (
	stageWon  = "Closed Won"
	stageLost = "Closed Lost"
)

var openStages = []string{"Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"}

// customers are the end customers deals are sold to; some carry commas,
// as company names do.
var customers = []string{
	"Acme Freight", "Baker, Hale & Co.", "Pacific Rim Holdings, Inc.", "Stellar Foods", "Orion Health",
	"Greenfield Utilities", "Metro Transit Authority", "Blue Harbor Bank", "Helix Pharma", "Crescent Retail",
	"Summit Insurance Group", "Northgate University", "Keller & Associates, LLP", "Vantage Logistics", "Polar Energy",
	"Redline Motors", "Atlas Manufacturing", "Sierra Telecom", "Lakeshore Medical Center", "Granite State Credit Union",
	"Pioneer Media", "Cascade Water District", "Aurora Hotels", "Ironbridge Capital", "Willow Creek Farms",
	"Delta Aerospace", "Maple Leaf Grocers, Ltd.", "Beacon Schools", "Harper, Lane & Ortiz", "Quantum Devices",
}

var products = []string{
	"Analytics Suite", "Data Platform, 3-year", "Platform renewal", "Expansion: 200 seats", "Migration services",
	"Enterprise license", "Pilot", "Upsell, EMEA", "Security add-on", "Support uplift",
}

var nextSteps = []string{"Send revised quote", "Security review", "Legal review,\nthen PO", "Demo with the CFO", "Waiting on budget, Q-end"}

// dealSize is a track's typical deal, in dollars.
var dealSize = map[string]float64{"reseller": 28000, "isv": 19000, "referral": 34000}

type deal struct {
	pid                        string // the partner's id, for the checks; "" for a direct deal
	id, name, account, partner string
	cents                      int64
	blankAmount                bool
	stage                      string
	created                    offsetDate
	closed, registered         *offsetDate
	sourced                    bool
	nextStep                   string
}

type dealMaker struct {
	rng   *rand.Rand
	ids   map[string]bool
	deals []*deal
}

// makeDeals is every deal of the sample: the partners' (ps in a fixed
// order) and a few direct deals without a partner.
func makeDeals(rng *rand.Rand, p0 model.Period, ps []*profile) [][]string {
	m := &dealMaker{rng: rng, ids: map[string]bool{}}
	for _, p := range ps {
		m.partnerDeals(p)
		checkDeals(p0, p, m.deals)
	}
	for range 8 {
		m.directDeal()
	}
	m.blankAmounts(2)
	slices.SortFunc(m.deals, func(a, b *deal) int {
		if c := a.created.period - b.created.period; c != 0 {
			return c
		}
		if c := a.created.day - b.created.day; c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	out := [][]string{dealHeader}
	for _, d := range m.deals {
		amount := centsString(d.cents)
		if d.blankAmount {
			amount = ""
		}
		sourced := "No"
		if d.sourced {
			sourced = "Yes"
		}
		out = append(out, []string{d.id, d.name, d.account, d.partner, amount, d.stage,
			d.created.String(), dateString(d.closed), sourced, dateString(d.registered), d.nextStep})
	}
	return out
}

func dateString(d *offsetDate) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// partnerDeals makes p's deals, quarter by quarter.
func (m *dealMaker) partnerDeals(p *profile) {
	var carried *deal // created last quarter, won in this one
	for i, row := range p.rows {
		q := i - 3
		if row == nil {
			continue
		}
		lo := 0 // no deal before the partner joined
		if p.joined.period == q {
			lo = p.joined.day
		}
		pipe, rev := toCents(row["sourced_pipeline"]), toCents(row["sourced_revenue"])
		won := rev
		if carried != nil {
			won -= carried.cents
			carried.closed = &offsetDate{q, m.day(0, 89)}
			carried = nil
		}
		rest := pipe - won
		if won < 0 || rest < 0 {
			fail("%s P%d: revenue %d¢ and pipeline %d¢ cannot be split into deals", p.id, q, rev, pipe)
		}
		var sourced []*deal
		if i < 3 && p.rows[i+1] != nil && m.rng.IntN(3) == 0 {
			next := toCents(p.rows[i+1]["sourced_revenue"])
			c := min(rest, int64(float64(next)*(0.15+0.3*m.rng.Float64()))) / 5000 * 5000
			if c >= 100000 {
				carried = m.newDeal(p, q, lo, c, true)
				carried.stage = stageWon
				sourced = append(sourced, carried)
				rest -= c
			}
		}
		for _, c := range m.split(won, dealSize[p.track], 4) {
			d := m.newDeal(p, q, lo, c, true)
			m.win(d)
			sourced = append(sourced, d)
		}
		for _, c := range m.split(rest, dealSize[p.track], 6) {
			d := m.newDeal(p, q, lo, c, true)
			m.loseOrKeepOpen(d)
			sourced = append(sourced, d)
		}
		m.rng.Shuffle(len(sourced), func(a, b int) { sourced[a], sourced[b] = sourced[b], sourced[a] })
		reg := int(row["registered_deals"])
		for j := range reg {
			var d *deal
			if j < len(sourced) {
				d = sourced[j]
			} else {
				d = m.influenced(p, q, lo)
			}
			r := offsetDate{q, m.day(max(lo, d.created.day-21), d.created.day)}
			d.registered = &r
		}
		// An influenced deal now and then, and always one in a quarter
		// with nothing else, so its deal metrics are there, at zero.
		if (len(sourced) == 0 && reg == 0) || m.rng.IntN(3) == 0 {
			m.influenced(p, q, lo)
		}
	}
	if carried != nil {
		fail("%s: a deal carried past P0", p.id)
	}
}

// newDeal is a deal of p created in quarter q, on or after day lo.
func (m *dealMaker) newDeal(p *profile, q, lo int, cents int64, sourced bool) *deal {
	account := customers[m.rng.IntN(len(customers))]
	d := &deal{
		pid: p.id, id: m.newID(), account: account, partner: m.partnerCell(p), cents: cents, sourced: sourced,
		name:    account + " - " + products[m.rng.IntN(len(products))],
		created: offsetDate{q, m.day(lo, max(lo, 80))},
	}
	m.deals = append(m.deals, d)
	return d
}

// partnerCell names the partner as a CRM does: its name, now and then an
// alias, never the id.
func (m *dealMaker) partnerCell(p *profile) string {
	if p.aliases != "" && m.rng.IntN(5) == 0 {
		as := strings.Split(p.aliases, ";")
		return as[m.rng.IntN(len(as))]
	}
	return p.name
}

func (m *dealMaker) win(d *deal) {
	d.stage = stageWon
	d.closed = &offsetDate{d.created.period, m.day(d.created.day, 89)}
}

// loseOrKeepOpen settles a deal that is not won: lost by P0, or open with
// an expected close date that may have slipped into the past.
func (m *dealMaker) loseOrKeepOpen(d *deal) {
	q := d.created.period
	if m.rng.IntN(5) < 3 {
		d.stage = stageLost
		k := min(0, q+m.rng.IntN(2))
		lo := 0
		if k == q {
			lo = d.created.day
		}
		d.closed = &offsetDate{k, m.day(lo, 89)}
		return
	}
	d.stage = openStages[m.rng.IntN(len(openStages))]
	d.closed = &offsetDate{min(1, q+1+m.rng.IntN(2)), m.day(0, 89)}
	if m.rng.IntN(4) == 0 {
		d.nextStep = nextSteps[m.rng.IntN(len(nextSteps))]
	}
}

// influenced is a deal p took part in without sourcing it: won, lost or
// open, settled within its quarter or still open.
func (m *dealMaker) influenced(p *profile, q, lo int) *deal {
	c := int64(math.Round(dealSize[p.track]*(0.3+1.2*m.rng.Float64()))) / 50 * 5000
	d := m.newDeal(p, q, lo, c, false)
	if m.rng.IntN(5) < 2 {
		m.win(d)
	} else {
		m.loseOrKeepOpen(d)
	}
	return d
}

// directDeal is a deal without a partner: a full CRM export holds them.
func (m *dealMaker) directDeal() {
	q := -m.rng.IntN(4)
	account := customers[m.rng.IntN(len(customers))]
	d := &deal{
		id: m.newID(), account: account, name: account + " - " + products[m.rng.IntN(len(products))],
		cents: int64(5000+m.rng.IntN(80000)) * 100, created: offsetDate{q, m.day(0, 80)},
	}
	if m.rng.IntN(2) == 0 {
		m.win(d)
	} else {
		m.loseOrKeepOpen(d)
	}
	m.deals = append(m.deals, d)
}

// blankAmounts empties the amount of n open influenced deals: early
// opportunities often have none, and the importer counts them as zero.
func (m *dealMaker) blankAmounts(n int) {
	for _, d := range m.deals {
		if n == 0 {
			return
		}
		if d.pid != "" && !d.sourced && d.stage != stageWon && d.stage != stageLost {
			d.blankAmount, d.cents = true, 0
			n--
		}
	}
	if n > 0 {
		fail("too few open influenced deals for the blank amounts")
	}
}

// split cuts total cents into about total/mean deals (at most most, each
// about $1,000 or more), in whole $50s but for the last, which takes the
// remainder to the cent.
func (m *dealMaker) split(total int64, mean float64, most int) []int64 {
	if total <= 0 {
		return nil
	}
	n := int(math.Round(float64(total) / 100 / (mean * (0.7 + 0.6*m.rng.Float64()))))
	n = max(1, min(n, most, int(total/100000)))
	w := make([]float64, n)
	var sum float64
	for j := range w {
		w[j] = 0.6 + 0.8*m.rng.Float64()
		sum += w[j]
	}
	parts := make([]int64, n)
	left := total
	for j := range n - 1 {
		parts[j] = max(5000, int64(math.Round(float64(total)*w[j]/sum/5000))*5000)
		left -= parts[j]
	}
	if left <= 0 {
		fail("split %d¢ in %d: nothing left for the last deal", total, n)
	}
	parts[n-1] = left
	return parts
}

// day is a day offset in [lo, hi] of a quarter; every quarter has 90 days
// or more, so 0..89 is always inside it.
func (m *dealMaker) day(lo, hi int) int {
	if lo > hi || lo < 0 || hi > 89 {
		fail("day range %d..%d", lo, hi)
	}
	return lo + m.rng.IntN(hi-lo+1)
}

// newID is an 18-character Salesforce opportunity id.
func (m *dealMaker) newID() string {
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for {
		b := []byte("006Hs00000")
		for range 5 {
			b = append(b, chars[m.rng.IntN(len(chars))])
		}
		id := string(append(b, "IAA"...))
		if !m.ids[id] {
			m.ids[id] = true
			return id
		}
	}
}

// checkDeals fails unless p's deals aggregate to its drawn production, to
// the cent, in exactly the quarters it has production for.
func checkDeals(p0 model.Period, p *profile, all []*deal) {
	var ds []model.Deal
	for _, d := range all {
		if d.pid != p.id {
			continue
		}
		md := model.Deal{Partner: p.id, Amount: float64(d.cents) / 100, Sourced: d.sourced,
			Created: d.created.time(p0), Stage: model.StageOpen}
		switch d.stage {
		case stageWon:
			md.Stage = model.StageWon
		case stageLost:
			md.Stage = model.StageLost
		}
		if d.closed != nil {
			md.Closed = d.closed.time(p0)
		}
		if d.registered != nil {
			md.Registered = d.registered.time(p0)
		}
		if md.Created.Before(p.joined.time(p0)) {
			fail("%s: deal %s created before the partner joined", p.id, d.id)
		}
		ds = append(ds, md)
	}
	got := model.AggregateDeals(ds, model.Quarterly)[p.id]
	want := p.values(p0)
	if len(got) != len(want) {
		fail("%s: deals in %d quarters, production in %d", p.id, len(got), len(want))
	}
	for q, vals := range want {
		for _, k := range []string{model.MetricSourcedPipeline, model.MetricSourcedRevenue, model.MetricRegisteredDeals} {
			g, ok := got[q][k]
			if !ok || toCents(g) != toCents(vals[k]) {
				fail("%s %s %s: deals give %v, production %v", p.id, q, k, g, vals[k])
			}
		}
	}
}

func toCents(v float64) int64 { return int64(math.Round(v * 100)) }

// centsString writes money as a CRM report does: $1,234.50.
func centsString(c int64) string { return dollarString(float64(c) / 100) }
