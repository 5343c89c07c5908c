//go:build ignore

// mkdata writes the sample program's embedded files, data/roster.csv,
// data/deals.csv (mkdeals.go), data/production.csv and data/history.csv,
// from the profiles below and the program in config.example.toml, and
// testdata/drawn_production.csv, every metric as drawn, for the tests. Run
// it with `go generate ./store/sample/` after changing a profile or the
// example config: the output is the same on every run.
//
// The deal-based metrics (sourced pipeline and revenue, registered deals)
// reach the store through the deals export; production.csv holds the rest.
//
// Every partner's production is drawn until the rules of the model propose
// what its profile says for the last three reviews the data can show (P-2,
// P-1 and P0), so the history, the roster and the production tell one
// consistent story. Older history moves get their reason from a synthetic
// window the rules agree with.
package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/partnertiers/partnertiers/model"
)

// profiles, one a line:
//
//	name | id | track | manager | tier | domains | aliases | employees | joined | plan | expect | history
//
// manager: D, S or P. joined: period offset and day ("-24+15"); empty picks
// one by tier. plan: the production level of P-3..P0, each R(egistered),
// S(ilver), G(old) or - (not joined yet); "custom" for the story partners.
// expect: what the rules must propose for P0. history: the moves, as
// "review:tier" or "review:tier!override reason"; empty draws promotions
// older than a year for partners above the entry tier.
const profiles = `
Northwind Global|northwind-global|reseller|D|gold|northwind.example;northwindglobal.example|Northwind|12000|-24+15|custom|demote:silver|-20:silver;-15:gold
Meridian Systems Group||reseller|S|gold|meridiansg.example|MSG;Meridian|2400||GGGG|hold|
Ironclad Integrators||reseller|P|gold|ironclad.example|Ironclad|850||GGGG|hold|
Bluefjord Consulting||reseller|D|gold|bluefjord.example|Blue Fjord|410||GGGG|hold|
Cobalt Ridge Technologies||isv|S|gold|cobaltridge.example;cobalt-ridge.test|Cobalt Ridge;CRT|320||GGGG|hold|
Lumen Harbor Software||isv|P|gold|lumenharbor.example|Lumen Harbor|180||GGGG|hold|
Stratus Peak Solutions||reseller|D|gold|stratuspeak.example|Stratus|1300||GGGS|grace|
Tidewater Digital||referral|S|gold|tidewater.example|Tidewater|95|-14+33|GGGG|hold|-9:silver;-3:gold
Quarry Lane Partners||referral|P|gold|quarrylane.example||60||GGGG|hold|
Ardent Cloud Services||isv|D|gold|ardentcloud.example|Ardent|540|-15+61|SGGG|hold|-8:silver;-2:gold
Copperleaf IT||reseller|D|silver|copperleaf.example|Copperleaf|75|-9+44|RSSS|hold|-1:silver
Harborline Networks||reseller|S|silver|harborline.example|Harborline|1150|-22+8|SSSS|hold|-18:silver;-11:gold;-6:silver
Redwood Anchor Consulting||reseller|P|silver|redwoodanchor.example|Redwood Anchor|230||SSSS|hold|
Aster Lane Analytics||isv|D|silver|asterlane.example||65||SSSS|hold|
Kestrel Integration||reseller|S|silver|kestrel.example|Kestrel|120|-7+52|SSSS|hold|-2:silver
Foxglove Systems||reseller|P|silver|foxglove.example|Foxglove|310||SSSR|grace|
Pinecrest Technology Group||reseller|D|silver|pinecrest.example;pinecrestgroup.example|Pinecrest;PTG|1900||SSSS|hold|
Saltmarsh Data||isv|S|silver|saltmarsh.example||45||SSSS|hold|
Granite Bay Consulting||referral|P|silver|granitebay.example|Granite Bay|28||SSSS|hold|
Orchard Row Software||isv|D|silver|orchardrow.example|Orchard Row|150||SSSG|promote:gold|
Wrenfield Partners||referral|S|silver|wrenfield.example||22||SSSS|hold|
Lattice Point Solutions||reseller|P|silver|latticepoint.example|Lattice Point|480||SSSS|hold|
Beaconfield IT||reseller|D|silver|beaconfield.example|Beaconfield|90||SSSS|hold|
Marlowe & Finch Consulting||referral|S|silver|marlowefinch.example|Marlowe Finch;M&F|55||SSSS|hold|
Summit Thread||isv|P|silver|summitthread.example||130||SSSS|hold|
Oakhurst Cloud||reseller|D|silver|oakhurst.example|Oakhurst|260|-20+70|SSSS|hold|-15:silver;-7:registered;-4:silver
Alderbrook Systems||isv|S|silver|alderbrook.example|Alderbrook|260||SSSS|hold|
Canopy Logic||isv|P|silver|canopylogic.example|Canopy|35|-6+19|RSSS|hold|-3:silver!Strategic: first partner certified on the new data platform, with two registered deals in flight
Driftwood Analytics||isv|D|silver|driftwood.example|Driftwood|70||SSSR|grace|
Halfmoon Software||isv|S|silver|halfmoon.example|Halfmoon;Half Moon|110||SSSS|hold|
Emberline Technologies||reseller|P|silver|emberline.example|Emberline|640||SSSS|hold|
Juniper Crest Advisors||referral|D|silver|junipercrest.example|Juniper Crest|18||SSSS|hold|
Keystone Relay||reseller|S|silver|keystonerelay.example|Keystone|205||SSSS|hold|
Nimbus Forge||isv|P|silver|nimbusforge.example||88||SSSS|hold|
Hartley, Moss & Co||referral|D|silver|hartleymoss.example|Hartley Moss|40||SSSS|hold|
Brightpath Analytics|brightpath-analytics|isv|P|registered|brightpath.example|Brightpath;BPA|40|-9+40|custom|promote:gold|
Vocalis Partners|vocalis-partners|referral|S|registered|vocalis.example|Vocalis|220|-6+20|custom|hold|
Clearwater Cloudworks||reseller|D|registered|clearwater.example|Clearwater|140||RRRS|promote:silver|
Kiln Street Software||isv|S|registered|kilnstreet.example|Kiln Street|26||RRRS|promote:silver|
Sable Creek Consulting||referral|P|registered|sablecreek.example|Sable Creek|48||RRRS|promote:silver|
Zephyr Lane IT||reseller|D|registered|zephyrlane.example||60|0+23|---R|new|
Lanternfish Software||isv|S|registered|lanternfish.example|Lanternfish|15|0+51|---R|new|
Ashgrove Digital||reseller|P|registered|ashgrove.example||85||RRRR|hold|
Bramble & Stone IT||reseller|D|registered|bramblestone.example|Bramble Stone|30||RRRR|hold|
Dovetail Apps||isv|S|registered|dovetailapps.example|Dovetail|12||RRRR|hold|
Evergreen Ledger||isv|P|registered|evergreenledger.example||58||RRRR|hold|
Fieldstone Consulting||referral|D|registered|fieldstone.example||9||RRRR|hold|
Gablewood Systems||reseller|S|registered|gablewood.example||140||RRRR|hold|
Hollowbrook Tech||reseller|P|registered|hollowbrook.example||33||RRRR|hold|
Inkwell Data||isv|D|registered|inkwelldata.example|Inkwell|24||RRRR|hold|
Jetstream Integrators||reseller|S|registered|jetstream.example|Jetstream|310||RRRR|hold|
Larkspur Networks||reseller|P|registered|larkspur.example||72||RRRR|hold|
Millbrook Advisory||referral|D|registered|millbrook.example||14||RRRR|hold|
Nettlefield IT||reseller|S|registered|nettlefield.example||46||RRRR|hold|
Opal Coast Solutions||reseller|P|registered|opalcoast.example|Opal Coast|175||RRRR|hold|
Parchment Labs||isv|D|registered|parchmentlabs.example||19||RRRR|hold|
Quillon Technologies||isv|S|registered|quillon.example||64||RRRR|hold|
Rookery Analytics||isv|P|registered|rookery.example||27||RRRR|hold|
Thornbury Systems||reseller|D|registered|thornbury.example||520||RRRR|hold|
Umberlight Software||isv|S|registered|umberlight.example||38||RRRR|hold|
Willowmere Data||isv|P|registered|willowmere.example||44||RRRR|hold|
Yarrow Tech||referral|D|registered|yarrowtech.example||11||RRRR|hold|
Amberfield Partners||referral|S|registered|amberfield.example||16||RRRR|hold|
Birchway Solutions||reseller|P|registered|birchway.example||95||RRRR|hold|
Cinder Path Software||isv|D|registered|cinderpath.example|Cinder Path|21||RRRR|hold|
Duskwood Consulting||referral|S|registered|duskwood.example||13||RRRR|hold|
Elmstead Cloud||reseller|P|registered|elmstead.example||67||RRRR|hold|
Ferncliff Integration||reseller|D|registered|ferncliff.example||150||RRRR|hold|
Glasshouse Analytics||isv|S|registered|glasshouse.example|Glasshouse|36||RRRR|hold|
Hearthstone Digital||referral|P|registered|hearthstone.example||20||RRRR|hold|
Ivory Gate Systems||reseller|D|registered|ivorygate.example|Ivory Gate|240||RRRR|hold|
Jadeport Tech||isv|S|registered|jadeport.example||17||RRRR|hold|
Kingfisher Advisory||referral|P|registered|kingfisher.example|Kingfisher|10||RRRR|hold|
Moorland IT Services||reseller|D|registered|moorland.example||380||RRRR|hold|
Oxbow Data||isv|S|registered|oxbowdata.example|Oxbow|23||RRRR|hold|
Pebblebrook Systems||reseller|P|registered|pebblebrook.example||115||RRRR|hold|
Quayside Consulting||referral|D|registered|quayside.example||12||RRRR|hold|
Riverbend Apps||isv|S|registered|riverbend.example||29|-2+45|-RRR|hold|
Starling Point IT||reseller|P|registered|starlingpoint.example|Starling|105||RRRR|hold|
Tallgrass Software||isv|D|registered|tallgrass.example||31|-1+30|--RR|hold|
`

// custom holds the story partners' production, P-3 to P0, in the column
// order of production.csv after partner and period.
var custom = map[string][4][6]float64{
	// Strong until P-2; then nothing sourced, certifications lapse (4, then 3),
	// joint customers fall away: P-1 is a first miss (a grace hold last
	// review), P0 misses every Gold criterion and demotes to Silver.
	"northwind-global": {
		{520000, 214000, 9, 14, 9, 11900},
		{465000, 188500, 8, 13, 8, 11950},
		{0, 0, 4, 9, 0, 12000},
		{0, 0, 3, 6, 0, 12000},
	},
	// Forty people sourcing real pipeline from the entry tier: held at
	// Registered last review by a single certified rep, then the team
	// certified and P-1+P0 meets every Gold criterion of the ISV track.
	"brightpath-analytics": {
		{38000, 9000, 1, 1, 1, 34},
		{96500, 31000, 1, 3, 3, 36},
		{185000, 72500, 1, 5, 6, 39},
		{212000, 96000, 6, 7, 7, 41},
	},
	// The loudest partner of the entry tier: a little pipeline, no more.
	"vocalis-partners": {
		{18000, 4000, 0, 1, 1, 210},
		{22500, 6000, 0, 1, 2, 215},
		{15000, 3500, 1, 2, 1, 220},
		{25000, 7000, 1, 2, 2, 220},
	},
}

var managers = map[string]string{"D": "Dana Reyes", "S": "Sam Okafor", "P": "Priya Natarajan"}

var metricCols = []string{"sourced_pipeline", "sourced_revenue", "certified_reps", "joint_customers", "registered_deals", "employees"}

// rowsMetrics are the metrics no deal gives: production.csv's columns.
var rowsMetrics = []string{"certified_reps", "joint_customers", "employees"}

type offsetDate struct{ period, day int }

func (o offsetDate) String() string { return fmt.Sprintf("P%d+%d", o.period, o.day) }

func (o offsetDate) time(p0 model.Period) time.Time {
	return p0.Step(o.period).Start().AddDate(0, 0, o.day)
}

type move struct {
	review   int // period offset of the review
	from, to string
	override string
	reason   string
	by       string
}

type profile struct {
	name, id, track, manager, tier string
	domains, aliases               string
	employees                      float64
	joined                         offsetDate
	plan, expect                   string
	moves                          []move
	dollars                        bool // draw revenue to the cent
	rows                           [4]map[string]float64
}

func main() {
	prog := loadProgram("../../config.example.toml")
	rng := rand.New(rand.NewPCG(2026, 9))
	p0 := model.LastComplete(time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), model.Quarterly)

	var ps []*profile
	for i, line := range strings.Split(strings.TrimSpace(profiles), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 12 {
			fail("profile %d: %d fields", i+1, len(f))
		}
		p := &profile{
			name: f[0], id: f[1], track: f[2], manager: managers[f[3]], tier: f[4],
			domains: f[5], aliases: f[6], plan: f[9], expect: f[10],
			dollars: i%6 == 5,
		}
		if p.id == "" {
			p.id = model.Slug(p.name)
		}
		p.employees, _ = strconv.ParseFloat(f[7], 64)
		p.joined = joinedFor(rng, p.tier, f[8])
		p.moves = movesFor(rng, p, f[11])
		ps = append(ps, p)
	}
	for _, p := range ps {
		drawProduction(rng, prog, p0, p)
		explainOldMoves(rng, prog, p0, p)
	}
	slices.SortFunc(ps, func(a, b *profile) int { return strings.Compare(a.name, b.name) })
	write("data/roster.csv", roster(ps))
	// The deals draw from a source of their own, so the production, the
	// roster and the history stay what they were before there were deals.
	write("data/deals.csv", makeDeals(rand.New(rand.NewPCG(2026, 11)), p0, ps))
	write("data/production.csv", production(ps, rowsMetrics))
	write("data/history.csv", history(prog, ps))
	write("testdata/drawn_production.csv", production(ps, metricCols))
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mkdata: "+format+"\n", args...)
	os.Exit(1)
}

func joinedFor(rng *rand.Rand, tier, s string) offsetDate {
	if s != "" {
		a, b, _ := strings.Cut(s, "+")
		period, err1 := strconv.Atoi(a)
		day, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil {
			fail("joined %q", s)
		}
		return offsetDate{period, day}
	}
	lo, hi := -28, -14
	switch tier {
	case "silver":
		lo, hi = -24, -8
	case "registered":
		lo, hi = -20, -4
	}
	return offsetDate{lo + rng.IntN(hi-lo+1), 1 + rng.IntN(85)}
}

// movesFor parses the history spec, or draws promotions older than a year.
func movesFor(rng *rand.Rand, p *profile, spec string) []move {
	var out []move
	from := "registered"
	if spec == "" {
		switch p.tier {
		case "silver":
			r := p.joined.period + 2 + rng.IntN(max(1, -5-(p.joined.period+2)+1))
			return []move{{review: r, from: from, to: "silver"}}
		case "gold":
			first := p.joined.period + 2 + rng.IntN(3)
			second := first + 3 + rng.IntN(max(1, -5-(first+3)+1))
			return []move{{review: first, from: from, to: "silver"}, {review: second, from: "silver", to: "gold"}}
		}
		return nil
	}
	for _, m := range strings.Split(spec, ";") {
		m, override, _ := strings.Cut(m, "!")
		r, to, _ := strings.Cut(m, ":")
		review, err := strconv.Atoi(r)
		if err != nil {
			fail("%s: history %q", p.id, spec)
		}
		out = append(out, move{review: review, from: from, to: to, override: override})
		from = to
	}
	if from != p.tier {
		fail("%s: history ends at %s, roster says %s", p.id, from, p.tier)
	}
	return out
}

// tierAt is the tier the partner held during the review of period offset r.
func (p *profile) tierAt(r int) string {
	for _, m := range p.moves {
		if m.review >= r {
			return m.from
		}
	}
	return p.tier
}

func (p *profile) moveAt(r int) (move, bool) {
	for _, m := range p.moves {
		if m.review == r {
			return m, true
		}
	}
	return move{}, false
}

func (p *profile) partner(p0 model.Period, tier string) *model.Partner {
	return &model.Partner{ID: p.id, Name: p.name, Track: p.track, Tier: tier, Joined: p.joined.time(p0)}
}

func (p *profile) series(p0 model.Period) model.Series { return model.SeriesOf(p.values(p0)) }

// values is the profile's production by period.
func (p *profile) values(p0 model.Period) map[model.Period]map[string]float64 {
	s := map[model.Period]map[string]float64{}
	for i, row := range p.rows {
		if row != nil {
			s[p0.Step(i-3)] = row
		}
	}
	return s
}

// drawProduction draws P-3..P0 until the reviews of P-2, P-1 and P0 come out
// as the profile says.
func drawProduction(rng *rand.Rand, prog *model.Program, p0 model.Period, p *profile) {
	for attempt := 0; attempt < 20000; attempt++ {
		emp := p.employees
		for i := range 4 {
			emp = math.Round(emp * (1 + (rng.Float64()-0.4)*0.04))
			if p.plan == "custom" {
				row := custom[p.id][i]
				p.rows[i] = map[string]float64{}
				for j, k := range metricCols {
					p.rows[i][k] = row[j]
				}
				continue
			}
			if p.plan[i] == '-' {
				p.rows[i] = nil
				continue
			}
			p.rows[i] = draw(rng, prog, p.track, p.plan[i], p.dollars)
			p.rows[i]["employees"] = emp
		}
		if p.plan != "custom" {
			p.rows[3]["employees"] = p.employees
		}
		if ok, why := p.check(prog, p0); ok {
			return
		} else if p.plan == "custom" || attempt == 19999 {
			fail("%s: %s", p.id, why)
		}
	}
}

func (p *profile) check(prog *model.Program, p0 model.Period) (bool, string) {
	s := p.series(p0)
	for _, r := range []int{-2, -1} {
		pr := model.Propose(prog, p.partner(p0, p.tierAt(r)), s, p0.Step(r), firstPeriod(s))
		m, moved := p.moveAt(r)
		switch {
		case moved && m.override == "" && (!pr.Kind.IsMove() || pr.To != m.to):
			return false, fmt.Sprintf("review P%d: %s to %s, history says %s", r, pr.Kind, pr.To, m.to)
		case !moved && pr.Kind.IsMove():
			return false, fmt.Sprintf("review P%d: %s to %s, history says none", r, pr.Kind, pr.To)
		}
		if moved && m.override == "" {
			p.setReason(r, pr.Explanation)
		}
	}
	pr := model.Propose(prog, p.partner(p0, p.tier), s, p0, firstPeriod(s))
	kind, to, _ := strings.Cut(p.expect, ":")
	if string(pr.Kind) != kind || (to != "" && pr.To != to) {
		return false, fmt.Sprintf("review P0: %s to %s, want %s", pr.Kind, pr.To, p.expect)
	}
	return true, ""
}

func (p *profile) setReason(r int, reason string) {
	for i := range p.moves {
		if p.moves[i].review == r {
			p.moves[i].reason = reason
		}
	}
}

// explainOldMoves gives moves before P-2 the explanation the rules give for
// a window of production at the new tier's level (or, for a demotion, two
// windows below the old tier).
func explainOldMoves(rng *rand.Rand, prog *model.Program, p0 model.Period, p *profile) {
	real := p.values(p0)
	for i := range p.moves {
		m := &p.moves[i]
		m.by = p.manager
		if m.override != "" {
			m.reason = m.override
			continue
		}
		if m.reason != "" {
			continue
		}
		level := m.to[0] - 'a' + 'A'
		for attempt := 0; ; attempt++ {
			if attempt == 20000 {
				fail("%s: no explanation for the move at P%d", p.id, m.review)
			}
			s := map[model.Period]map[string]float64{}
			for q := m.review - 2; q <= m.review; q++ {
				if q >= -3 {
					s[p0.Step(q)] = real[p0.Step(q)]
					continue
				}
				s[p0.Step(q)] = draw(rng, prog, p.track, level, false)
			}
			ser := model.SeriesOf(s)
			pr := model.Propose(prog, p.partner(p0, m.from), ser, p0.Step(m.review), firstPeriod(ser))
			if pr.Kind.IsMove() && pr.To == m.to {
				m.reason = pr.Explanation
				break
			}
		}
	}
}

// draw is one quarter of production at a tier's level: two such quarters
// meet that tier's criteria for the track and not the next one's.
func draw(rng *rand.Rand, prog *model.Program, track string, level byte, dollars bool) map[string]float64 {
	minOf := func(tier, metric string) float64 {
		v, _ := prog.CriteriaFor(track, tier).Min(metric)
		return v
	}
	sPipe, sCert := minOf("silver", "sourced_pipeline"), minOf("silver", "certified_reps")
	gPipe, gRev := minOf("gold", "sourced_pipeline"), minOf("gold", "sourced_revenue")
	gCert, gJoint := minOf("gold", "certified_reps"), minOf("gold", "joint_customers")
	u := func(lo, hi float64) float64 { return lo + rng.Float64()*(hi-lo) }
	n := func(lo, hi float64) float64 { return lo + float64(rng.IntN(int(hi-lo)+1)) }
	var pipe, rev, cert, joint, deals float64
	switch level {
	case 'R':
		if rng.IntN(10) >= 3 {
			pipe = u(0.02, 0.45) * sPipe
			rev = pipe * u(0, 0.35)
		}
		cert, joint, deals = n(0, sCert-1), n(0, 2), n(0, 1)
	case 'S':
		pipe = u(0.6*sPipe, 0.45*gPipe)
		rev = pipe * u(0.2, 0.4)
		cert, joint, deals = n(sCert, gCert-1), n(3, gJoint-1), n(2, 5)
	case 'G':
		pipe = u(0.55, 1.3) * gPipe
		rev = u(0.55, 0.8) * gRev
		cert, joint, deals = n(gCert, gCert+10), n(gJoint, gJoint+14), n(5, 13)
	default:
		fail("level %q", level)
	}
	pipe = math.Round(pipe/50) * 50
	if dollars {
		rev = math.Round(rev*100) / 100
	} else {
		rev = math.Round(rev/10) * 10
	}
	return map[string]float64{
		"sourced_pipeline": pipe, "sourced_revenue": rev,
		"certified_reps": cert, "joint_customers": joint, "registered_deals": deals,
	}
}

func (p *profile) tierSince() string {
	if len(p.moves) == 0 {
		return p.joined.String()
	}
	return reviewDone(p.moves[len(p.moves)-1].review).String()
}

// reviewDone is when the review of period offset r was finalized: about
// two weeks into the next period, the same day for every partner.
func reviewDone(r int) offsetDate { return offsetDate{r + 1, 8 + (-r*5)%9} }

func reviewTime(r int) string {
	return fmt.Sprintf("%sT%02d:%02d", reviewDone(r), 14+(-r)%4, 15*((-r)%4))
}

func roster(ps []*profile) [][]string {
	out := [][]string{{"id", "name", "track", "manager", "domains", "aliases", "tier", "joined", "tier_since"}}
	for _, p := range ps {
		out = append(out, []string{p.id, p.name, p.track, p.manager, p.domains, p.aliases, p.tier, p.joined.String(), p.tierSince()})
	}
	return out
}

// production is one row per partner and period with the metrics cols.
func production(ps []*profile, cols []string) [][]string {
	out := [][]string{append([]string{"partner", "period"}, cols...)}
	for _, p := range ps {
		for i, row := range p.rows {
			if row == nil {
				continue
			}
			rec := []string{p.id, fmt.Sprintf("P%d", i-3)}
			for _, k := range cols {
				rec = append(rec, strconv.FormatFloat(row[k], 'f', -1, 64))
			}
			out = append(out, rec)
		}
	}
	return out
}

func history(prog *model.Program, ps []*profile) [][]string {
	type entry struct {
		review int
		rec    []string
	}
	var es []entry
	for _, p := range ps {
		for _, m := range p.moves {
			kind := model.Promote
			if prog.TierIndex(m.to) < prog.TierIndex(m.from) {
				kind = model.Demote
			}
			override := "false"
			if m.override != "" {
				override = "true"
			}
			es = append(es, entry{m.review, []string{
				p.id, m.from, m.to, fmt.Sprintf("P%d", m.review), string(kind), override, m.by, reviewTime(m.review), m.reason,
			}})
		}
	}
	slices.SortStableFunc(es, func(a, b entry) int { return a.review - b.review })
	out := [][]string{{"partner", "from", "to", "period", "kind", "override", "by", "at", "reason"}}
	for _, e := range es {
		out = append(out, e.rec)
	}
	return out
}

// dollarString writes money as a spreadsheet would: $1,234.50.
func dollarString(v float64) string {
	whole := strconv.FormatFloat(math.Floor(v), 'f', 0, 64)
	var b strings.Builder
	b.WriteByte('$')
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	fmt.Fprintf(&b, ".%02d", int(math.Round((v-math.Floor(v))*100)))
	return b.String()
}

func write(path string, recs [][]string) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		fail("%s: %v", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fail("%v", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		fail("%v", err)
	}
}

// The program, read from the example config.

type config struct {
	Program struct {
		Name         string
		Cadence      string
		Window       int
		GraceReviews int `toml:"grace_reviews"`
	}
	Metrics []struct {
		Key, Label, Singular, Unit, Aggregate string
		Size                                  bool
	}
	Tiers []struct {
		Key, Name string
		Rank      int
		Criteria  struct {
			All, Any []struct {
				Metric string
				Min    float64
			}
		}
	}
	Tracks []struct {
		Key, Name  string
		Thresholds map[string]map[string]float64
	}
	Managers []struct{ Name, Email string }
}

func loadProgram(path string) *model.Program {
	var c config
	if _, err := toml.DecodeFile(path, &c); err != nil {
		fail("%v", err)
	}
	cad, err := model.ParseCadence(c.Program.Cadence)
	if err != nil {
		fail("%v", err)
	}
	p := &model.Program{Name: c.Program.Name, Cadence: cad, Window: c.Program.Window, GraceReviews: c.Program.GraceReviews}
	for _, m := range c.Metrics {
		p.Metrics = append(p.Metrics, model.Metric{Key: m.Key, Label: m.Label, Singular: m.Singular,
			Unit: model.Unit(m.Unit), Aggregate: model.Aggregate(m.Aggregate), Size: m.Size})
	}
	for _, t := range c.Tiers {
		tier := model.Tier{Key: t.Key, Name: t.Name, Rank: t.Rank}
		for _, cr := range t.Criteria.All {
			tier.Criteria.All = append(tier.Criteria.All, model.Criterion{Metric: cr.Metric, Min: cr.Min})
		}
		for _, cr := range t.Criteria.Any {
			tier.Criteria.Any = append(tier.Criteria.Any, model.Criterion{Metric: cr.Metric, Min: cr.Min})
		}
		p.Tiers = append(p.Tiers, tier)
	}
	for _, t := range c.Tracks {
		p.Tracks = append(p.Tracks, model.Track{Key: t.Key, Name: t.Name, Thresholds: t.Thresholds})
	}
	for _, m := range c.Managers {
		p.Managers = append(p.Managers, model.Manager{Name: m.Name, Email: m.Email})
	}
	if err := p.Validate(); err != nil {
		fail("%v", err)
	}
	return p
}

// firstPeriod is a series' earliest period: the sample's store begins there.
func firstPeriod(s model.Series) model.Period {
	for q := range s.Periods() {
		return q
	}
	return model.Period{}
}
