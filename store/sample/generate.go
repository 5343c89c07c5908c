package sample

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// levels are a track's thresholds in config.example.toml, over a window of
// two quarters: what the generator aims a quarter of production at.
type levels struct {
	track                  string
	silverPipe, silverCert float64
	goldPipe, goldRev      float64
	goldCert, goldJoint    float64
}

var tracks = [3]levels{
	{track: "reseller", silverPipe: 100000, silverCert: 2, goldPipe: 400000, goldRev: 150000, goldCert: 5, goldJoint: 8},
	{track: "isv", silverPipe: 75000, silverCert: 2, goldPipe: 300000, goldRev: 150000, goldCert: 5, goldJoint: 6},
	{track: "referral", silverPipe: 100000, silverCert: 1, goldPipe: 400000, goldRev: 100000, goldCert: 2, goldJoint: 8},
}

var (
	managerNames = [3]string{"Dana Reyes", "Sam Okafor", "Priya Natarajan"}
	tierKeys     = [3]string{"registered", "silver", "gold"}
	tierNames    = [3]string{"Registered", "Silver", "Gold"}
)

const (
	rosterHeader     = "id,name,track,manager,domains,aliases,tier,joined,tier_since\n"
	productionHeader = "partner,period,sourced_pipeline,sourced_revenue,certified_reps,joint_customers,registered_deals,employees\n"
)

// Generate makes a program of n partners dated for today, shaped like the
// sample: the managers, tracks and tiers of config.example.toml in
// plausible proportions (about 12% gold, 31% silver, the rest registered),
// the four complete quarters before today's, most partners producing at
// their tier's level and a few earning a promotion, missing once (grace) or
// twice (demotion), or joined inside the last quarter (new); a little
// history, with no demotion in the last twelve months. The same n and today
// always give the same bytes. Names are unique: word lists, and a number
// once they run out.
func Generate(n int, today time.Time) Data {
	n = max(n, 0)
	rng := rand.New(rand.NewPCG(uint64(n), 0x9e3779b97f4a7c15))
	p0 := model.LastComplete(today, model.Quarterly)
	var periods [4]string
	var starts [4]time.Time
	for i := range 4 {
		p := p0.Step(i - 3)
		periods[i], starts[i] = p.String(), p.Start()
	}
	roster := make([]byte, 0, len(rosterHeader)+n*136)
	roster = append(roster, rosterHeader...)
	production := make([]byte, 0, len(productionHeader)+n*208)
	production = append(production, productionHeader...)
	var history []model.History

	for i := range n {
		g := drawPartner(rng, i, p0)

		roster = append(roster, g.id...)
		roster = append(roster, ',')
		roster = append(roster, g.name...)
		roster = append(roster, ',')
		roster = append(roster, tracks[g.track].track...)
		roster = append(roster, ',')
		roster = append(roster, managerNames[g.manager]...)
		roster = append(roster, ',')
		roster = append(roster, g.id...)
		roster = append(roster, ".example"...)
		if g.secondDomain {
			roster = append(roster, ';')
			roster = append(roster, g.id...)
			roster = append(roster, ".test"...)
		}
		roster = append(roster, ',')
		if g.alias {
			roster = append(roster, g.compound...)
		}
		roster = append(roster, ',')
		roster = append(roster, tierKeys[g.tier]...)
		roster = append(roster, ',')
		roster = g.joined.AppendFormat(roster, time.DateOnly)
		roster = append(roster, ',')
		since := g.joined
		for _, m := range g.moves {
			h := model.History{
				Partner: g.id, From: tierKeys[m.from], To: tierKeys[m.to],
				Period: p0.Step(m.review), Kind: model.Promote,
				Reason: "Earned " + tierNames[m.to] + ".",
				By:     managerNames[g.manager],
				At:     p0.Step(m.review + 1).Start().Add(9*24*time.Hour + 15*time.Hour),
			}
			if m.to < m.from {
				h.Kind = model.Demote
				h.Reason = "Missed " + tierNames[m.from] + " two reviews running; demoted one step to " + tierNames[m.to] + "."
			}
			history = append(history, h)
			since = h.At
		}
		roster = since.AppendFormat(roster, time.DateOnly)
		roster = append(roster, '\n')

		emp := g.employees
		for q := range 4 {
			if g.plan[q] < 0 {
				continue
			}
			v := g.quarter(rng, g.plan[q])
			emp = math.Round(emp * (1 + (rng.Float64()-0.4)*0.04))
			production = append(production, g.id...)
			production = append(production, ',')
			production = append(production, periods[q]...)
			for _, x := range v {
				production = append(production, ',')
				production = strconv.AppendInt(production, int64(x), 10)
			}
			production = append(production, ',')
			production = strconv.AppendInt(production, int64(max(emp, 1)), 10)
			production = append(production, '\n')
		}
	}
	return Data{Roster: roster, Production: production, History: history}
}

type genMove struct{ review, from, to int }

type genPartner struct {
	id, name, compound  string
	track, manager      int
	tier                int
	joined              time.Time
	employees           float64
	plan                [4]int // tier level of each quarter P-3..P0; -1 before joining
	moves               []genMove
	alias, secondDomain bool
}

// drawPartner draws partner i. Every draw happens in a fixed order, so the
// output depends only on n and today.
func drawPartner(rng *rand.Rand, i int, p0 model.Period) genPartner {
	g := genPartner{}
	g.compound, g.name, g.id = genName(i)

	switch r := rng.IntN(100); {
	case r < 45:
		g.track = 0
	case r < 75:
		g.track = 1
	default:
		g.track = 2
	}
	g.manager = rng.IntN(len(managerNames))
	switch r := rng.IntN(100); {
	case r < 12:
		g.tier = 2
	case r < 43:
		g.tier = 1
	}
	g.alias = rng.IntN(5) == 0
	g.secondDomain = rng.IntN(10) == 0
	// Size says nothing of tier: from a handful of people to a multinational.
	g.employees = math.Round(math.Exp(math.Log(5) + rng.Float64()*(math.Log(20000)-math.Log(5))))

	// When it joined, in quarters before P0.
	lo, hi := -20, -1
	switch g.tier {
	case 1:
		lo, hi = -24, -8
	case 2:
		lo, hi = -28, -14
	}
	joinedQ := lo + rng.IntN(hi-lo+1)
	day := 1 + rng.IntN(85)

	t := g.tier
	for q := range g.plan {
		g.plan[q] = t
	}
	r := rng.IntN(100)
	switch {
	case t == 0 && r < 5: // promote to silver
		g.plan[3] = 1
	case t == 0 && r < 6: // promote to gold
		g.plan[2], g.plan[3] = 2, 2
	case t == 0 && r < 10: // new: joined inside P0
		joinedQ = 0
	case t > 0 && r < 5: // miss once: a grace hold
		g.plan[3] = t - 1
	case t > 0 && r < 8: // miss twice: a demotion
		g.plan[2], g.plan[3] = t-1, t-1
	case t == 1 && r < 13: // promote to gold
		g.plan[3] = 2
	}
	for q := range g.plan {
		if q-3 < joinedQ {
			g.plan[q] = -1
		}
	}
	g.joined = p0.Step(joinedQ).Start().AddDate(0, 0, day)

	// A little history: the promotion that brought some partners to their
	// tier, more than a year ago; now and then an older demotion from gold.
	if t > 0 && rng.IntN(10) < 3 && joinedQ < -5 {
		review := joinedQ + 1 + rng.IntN(-5-joinedQ)
		if t == 1 && joinedQ < -13 && rng.IntN(10) == 0 {
			g.moves = []genMove{{review - 6, 0, 1}, {review - 3, 1, 2}, {review, 2, 1}}
			if g.moves[0].review <= joinedQ {
				g.moves = g.moves[2:]
			}
		} else {
			g.moves = []genMove{{review, t - 1, t}}
		}
	}
	return g
}

// quarter draws one quarter of production at a tier's level: two such
// quarters meet that tier's criteria for the track and not the next one's.
// The values are in the production CSV's column order, employees left out.
func (g *genPartner) quarter(rng *rand.Rand, level int) [5]float64 {
	l := tracks[g.track]
	u := func(lo, hi float64) float64 { return lo + rng.Float64()*(hi-lo) }
	n := func(lo, hi float64) float64 { return lo + float64(rng.IntN(int(hi-lo)+1)) }
	var pipe, rev, cert, joint, deals float64
	switch level {
	case 0:
		if rng.IntN(10) >= 3 {
			pipe = u(0.02, 0.45) * l.silverPipe
			rev = pipe * u(0, 0.35)
		}
		cert, joint, deals = n(0, l.silverCert-1), n(0, 2), n(0, 1)
	case 1:
		pipe = u(0.6*l.silverPipe, 0.45*l.goldPipe)
		rev = pipe * u(0.2, 0.4)
		cert, joint, deals = n(l.silverCert, l.goldCert-1), n(3, l.goldJoint-1), n(2, 5)
	default:
		pipe = u(0.55, 1.3) * l.goldPipe
		rev = u(0.55, 0.8) * l.goldRev
		cert, joint, deals = n(l.goldCert, l.goldCert+10), n(l.goldJoint, l.goldJoint+14), n(5, 13)
	}
	return [5]float64{math.Round(pipe/50) * 50, math.Round(rev/10) * 10, cert, joint, deals}
}

// genName is partner i's name: a compound ("Amberbrook") and a kind
// ("Systems"), taken in an order that mixes the word lists, with a number
// once every combination is used. The compound doubles as an alias.
func genName(i int) (compound, name, id string) {
	combos := len(namePrefixes) * len(nameSuffixes) * len(nameKinds)
	k := (i * nameStride) % combos
	a, b, c := k%len(namePrefixes), k/len(namePrefixes)%len(nameSuffixes), k/(len(namePrefixes)*len(nameSuffixes))
	pre, suf, kind := namePrefixes[a], nameSuffixes[b], nameKinds[c]
	compound = pre.title + suf
	name = compound + " " + kind.title
	id = pre.lower + suf + "-" + kind.lower
	if cycle := i / combos; cycle > 0 {
		num := strconv.Itoa(cycle + 1)
		name += " " + num
		id += "-" + num
	}
	return compound, name, id
}
