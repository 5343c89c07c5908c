package model

import (
	"fmt"
	"time"
)

// MoveKind is what a review proposes for a partner.
type MoveKind string

const (
	Promote MoveKind = "promote"
	Demote  MoveKind = "demote"
	Grace   MoveKind = "grace" // first miss held; the next one demotes
	New     MoveKind = "new"   // too young to judge: held
	Hold    MoveKind = "hold"
)

// Kinds lists move kinds in the order a review shows them.
var Kinds = []MoveKind{Promote, Demote, Grace, New, Hold}

// IsMove reports whether the kind changes the tier.
func (k MoveKind) IsMove() bool { return k == Promote || k == Demote }

// Proposal is what the rules propose for one partner in one review.
type Proposal struct {
	Partner     string
	Name        string
	Kind        MoveKind
	From        string // current tier
	To          string // proposed tier; From for holds
	Earned      string
	Explanation string // the evidence in words
	// Evaluation is the evidence behind the proposal: every tier's
	// criteria against the partner's production, as it stood when the
	// review started. It is nil on a proposal read without its evidence
	// (the store keeps it apart and reads it for one partner at a time).
	Evaluation *Evaluation
}

// Propose applies the tier rules for period:
//   - earned above current: promote to the earned tier;
//   - a partner that joined after the period began is held as new;
//   - earned below current: demote one step, unless the misses so far,
//     counted back period by period, are within GraceReviews: then hold
//     on grace;
//   - otherwise hold.
//
// since is the first period the store holds any production for (zero when
// it holds none): a period before it is no evidence of a miss, but a
// partner with no rows after it produced nothing.
func Propose(p *Program, partner *Partner, s Series, period, since Period) Proposal {
	ev := Evaluate(p, partner, s, period)
	cur, earned := p.TierIndex(partner.Tier), p.TierIndex(ev.Earned)
	pr := Proposal{
		Partner: partner.ID, Name: partner.Name,
		From: partner.Tier, To: partner.Tier, Earned: ev.Earned, Evaluation: &ev,
	}
	curName := p.TierName(partner.Tier)
	switch {
	case cur < 0:
		// A tier the program no longer has: place the partner where it earns.
		pr.Kind, pr.To = Promote, ev.Earned
		pr.Explanation = fmt.Sprintf("Tier %q is not in the program; earns %s.", partner.Tier, p.TierName(ev.Earned))
	case earned > cur:
		pr.Kind, pr.To = Promote, ev.Earned
		check, _ := ev.Check(ev.Earned)
		pr.Explanation = fmt.Sprintf("Earned %s: %s.", p.TierName(ev.Earned), metLine(p, check))
	case isNew(partner, period):
		pr.Kind = New
		pr.Explanation = fmt.Sprintf("New partner (joined %s): held at %s for its first full period.",
			partner.Joined.Format(time.DateOnly), curName)
	case earned < cur:
		misses := consecutiveMisses(p, partner, s, period, since, earned)
		missed := listEvidence(p, ev.CurrentCheck().Missed())
		if misses <= p.GraceReviews {
			pr.Kind = Grace
			pr.Explanation = fmt.Sprintf("Grace hold at %s: missed %s (%s); another miss next review demotes to %s.",
				curName, curName, missed, p.Tiers[cur-1].Name)
			if p.GraceReviews > 1 {
				pr.Explanation = fmt.Sprintf("Grace hold at %s: miss %d of %d allowed (%s).", curName, misses, p.GraceReviews, missed)
			}
		} else {
			pr.Kind, pr.To = Demote, p.Tiers[cur-1].Key
			pr.Explanation = fmt.Sprintf("Missed %s %s running (%s); earns %s: demote one step to %s.",
				curName, reviewsRunning(misses), missed, p.TierName(ev.Earned), p.Tiers[cur-1].Name)
		}
	default:
		pr.Kind = Hold
		next, hasNext := ev.NextCheck(p)
		switch {
		case hasNext && cur == 0:
			pr.Explanation = fmt.Sprintf("Holds %s: %s.", curName, GapSentence(p, next))
		case hasNext:
			pr.Explanation = fmt.Sprintf("Holds %s (%s); %s.", curName, metLine(p, ev.CurrentCheck()), GapSentence(p, next))
		default:
			pr.Explanation = fmt.Sprintf("Holds %s: %s.", curName, metLine(p, ev.CurrentCheck()))
		}
	}
	return pr
}

// isNew reports whether the partner joined after the period began, so it
// has had less than one full period to produce.
func isNew(partner *Partner, period Period) bool {
	return !partner.Joined.IsZero() && partner.Joined.After(period.Start())
}

// consecutiveMisses counts the periods, ending at period and going back,
// whose evaluation earned below the partner's current tier; earned is
// period's own (its evaluation is at hand). It is computed from
// production, so a fresh store with no review history still knows a
// second miss from a first. An earlier period counts only as evidence: not
// one the partner joined during, nor one whose window reaches back before
// since, the store's first production (it cannot tell a miss there from
// data not imported). The count stops at GraceReviews+1: no rule needs more.
func consecutiveMisses(p *Program, partner *Partner, s Series, period, since Period, earned int) int {
	cur := p.TierIndex(partner.Tier)
	n := 0
	for q := period; n <= p.GraceReviews; q = q.Prev() {
		if q != period {
			if isNew(partner, q) || (!since.IsZero() && q.Window(p.Window)[0].Before(since)) {
				break
			}
			// Only the tier earned matters here, not its evidence.
			earned = earnedIndex(p, partner, s, q)
		}
		if earned >= cur {
			break
		}
		n++
	}
	return n
}

func reviewsRunning(n int) string {
	switch n {
	case 1:
		return "this review"
	case 2:
		return "two reviews"
	case 3:
		return "three reviews"
	}
	return fmt.Sprintf("%d reviews", n)
}

// metLine lists the evidence that meets the tier.
func metLine(p *Program, c TierCheck) string {
	var met []Evidence
	for _, e := range c.Evidence {
		if e.Met {
			met = append(met, e)
		}
	}
	if len(met) == 0 {
		return "no criteria to meet"
	}
	return listEvidence(p, met)
}
