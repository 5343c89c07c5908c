package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
)

const reviewHelp = `Start or resume the review for a period and list its proposals.

  partnertiers review [--period P] [--json] [--all]
  partnertiers review decide PARTNER accept [--period P]
  partnertiers review decide PARTNER override TIER --reason TEXT [--period P]
  partnertiers review undo PARTNER [--period P]
  partnertiers review finalize [--period P]
  partnertiers review discard [--period P]   drop an open review and its decisions

Without --period: the open review if there is one, else the last complete
period. Every decision is saved at once; finalize applies them all together.`

func runReview(c *ctx, args []string) error {
	fs := c.flagSet("review", "[decide|undo|finalize] ...", reviewHelp)
	periodFlag := fs.String("period", "", "the `period` under review, like 2026-Q3")
	asJSON := fs.Bool("json", false, "print JSON")
	all := fs.Bool("all", false, "list the holds too")
	reason := fs.String("reason", "", "why an override departs from the proposal (required)")
	by := fs.String("by", "", "who decides (default $PARTNERTIERS_USER or $USER)")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	c.safeOutput()
	// Mistakes in the command line are usage errors whatever the store.
	if len(pos) > 0 && !slices.Contains([]string{"decide", "undo", "finalize", "discard"}, pos[0]) {
		return usagef("review: unknown subcommand %q: want decide, undo, finalize or discard", pos[0])
	}
	if _, err := parsePeriodFlag("review", *periodFlag, nil); err != nil {
		return err
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	who := *by
	if who == "" {
		who = c.reviewer()
	}
	rv := reviewCmd{c: c, cfg: cfg, st: st, by: who}
	if err := rv.pickPeriod(*periodFlag); err != nil {
		return err
	}
	sub := ""
	if len(pos) > 0 {
		sub = pos[0]
	}
	switch sub {
	case "":
		r, err := rv.startOrResume()
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(c.env.Stdout, reviewJSON(cfg.Program, r))
		}
		writeReview(c.env.Stdout, cfg.Program, r, *all)
		return nil
	case "decide":
		return rv.decide(fs, pos[1:], *reason)
	case "undo":
		if err := wantArgs(fs, pos, 2, "undo PARTNER"); err != nil {
			return err
		}
		return rv.undo(pos[1])
	case "finalize":
		if err := wantArgs(fs, pos, 1, "finalize"); err != nil {
			return err
		}
		return rv.finalize()
	case "discard":
		if err := wantArgs(fs, pos, 1, "discard"); err != nil {
			return err
		}
		if err := st.DiscardReview(rv.period); err != nil {
			return err
		}
		fmt.Fprintf(c.env.Stdout, "discarded the %s review and its decisions\n", rv.period)
		return nil
	}
	return usagef("review: unknown subcommand %q: want decide, undo, finalize or discard", sub)
}

type reviewCmd struct {
	c      *ctx
	cfg    *config.Config
	st     *store.Store
	by     string
	period model.Period
}

// pickPeriod: --period, else the open review's, else the default period.
func (rv *reviewCmd) pickPeriod(flagValue string) error {
	p := rv.cfg.Program
	if flagValue != "" {
		var err error
		rv.period, err = parsePeriodFlag("review", flagValue, p)
		return err
	}
	// The reviews' headers and counts: a decision must not read every
	// proposal of a large review to learn its period.
	infos, err := rv.st.ReviewInfos(p)
	if err != nil {
		return err
	}
	for _, in := range infos {
		if in.Review.Status == model.ReviewOpen {
			rv.period = in.Review.Period
			return nil
		}
	}
	rv.period, err = evaluationPeriod(rv.c, p, rv.st)
	return err
}

func (rv *reviewCmd) startOrResume() (*model.Review, error) {
	r, started, err := rv.st.StartOrResumeReview(rv.cfg.Program, rv.period, rv.by, rv.c.now())
	if err != nil {
		return nil, err
	}
	if started {
		fmt.Fprintf(rv.c.env.Stderr, "started the %s review: %s evaluated\n", r.Period, model.Plural(len(r.Proposals), "partner", "partners"))
	}
	return r, nil
}

func (rv *reviewCmd) decide(fs *flag.FlagSet, args []string, reason string) error {
	if len(args) < 2 {
		return usagef("review decide: want PARTNER accept, or PARTNER override TIER --reason TEXT")
	}
	p := rv.cfg.Program
	partner, err := resolvePartner(rv.st, args[0])
	if err != nil {
		return err
	}
	// Started if need be, as the list would be, but not read: the
	// decision reads and writes only this partner's proposal.
	n, started, err := rv.st.EnsureReview(p, rv.period, rv.by, rv.c.now())
	if err != nil {
		return err
	}
	if started {
		fmt.Fprintf(rv.c.env.Stderr, "started the %s review: %s evaluated\n", rv.period, model.Plural(n, "partner", "partners"))
	}
	now := rv.c.now()
	var d model.Decision
	switch args[1] {
	case "accept":
		if len(args) != 2 {
			return usagef("review decide: accept takes no more arguments")
		}
		_, err = rv.st.UpdateReview(rv.period, partner.ID, func(r *model.Review) error {
			d, err = r.Accept(partner.ID, rv.by, now)
			return err
		})
	case "override":
		if len(args) != 3 {
			return usagef("review decide: want PARTNER override TIER --reason TEXT")
		}
		if strings.TrimSpace(reason) == "" {
			return fmt.Errorf("review decide %s: %w: pass --reason TEXT; nothing saved", partner.ID, model.ErrBlankReason)
		}
		_, err = rv.st.UpdateReview(rv.period, partner.ID, func(r *model.Review) error {
			d, err = r.Override(p, partner.ID, args[2], reason, rv.by, now)
			return err
		})
	default:
		return usagef("review decide: want accept or override, not %q", args[1])
	}
	if err != nil {
		return fmt.Errorf("review decide %s: %w; nothing saved", partner.ID, err)
	}
	fmt.Fprintf(rv.c.env.Stdout, "%s %s: %s → %s (%s review)\n", d.Kind, store.CleanText(partner.Name), p.TierName(partner.Tier), p.TierName(d.Tier), rv.period)
	return nil
}

func (rv *reviewCmd) undo(query string) error {
	partner, err := resolvePartner(rv.st, query)
	if err != nil {
		return err
	}
	if _, err := rv.st.UpdateReview(rv.period, partner.ID, func(r *model.Review) error { return r.Undo(partner.ID) }); err != nil {
		return fmt.Errorf("review undo %s: %w", partner.ID, err)
	}
	fmt.Fprintf(rv.c.env.Stdout, "undid the decision on %s (%s review)\n", store.CleanText(partner.Name), rv.period)
	return nil
}

func (rv *reviewCmd) finalize() error {
	p := rv.cfg.Program
	r, _, err := rv.st.FinalizeReview(p, rv.period, rv.by, rv.c.now())
	if err != nil {
		if errors.Is(err, model.ErrUndecided) && r != nil {
			fmt.Fprintf(rv.c.env.Stderr, "cannot finalize the %s review: decide these moves first:\n", rv.period)
			for _, pr := range r.Undecided() {
				fmt.Fprintf(rv.c.env.Stderr, "  %-28s %-30s %s → %s\n", pr.Partner, store.CleanText(pr.Name), p.TierName(pr.From), p.TierName(pr.To))
			}
			return errFailed
		}
		return fmt.Errorf("review finalize: %w", err)
	}
	fmt.Fprintf(rv.c.env.Stdout, "finalized the %s review\n", r.Period)
	writeSummary(rv.c.env.Stdout, p, r)
	return nil
}

// writeReview lists the proposals grouped by kind, holds folded unless all.
func writeReview(w io.Writer, p *model.Program, r *model.Review, all bool) {
	decided, total := r.Progress()
	fmt.Fprintf(w, "Review %s · %s · %d of %d moves decided\n", r.Period, r.Status, decided, total)
	groups := map[model.MoveKind][]model.Proposal{}
	for _, pr := range r.Proposals {
		groups[pr.Kind] = append(groups[pr.Kind], pr)
	}
	for _, k := range model.Kinds {
		prs := groups[k]
		if len(prs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n", strings.ToUpper(string(k)), len(prs))
		if (k == model.Hold) && !all {
			fmt.Fprintf(w, "  %d partners hold their tier; --all lists them\n", len(prs))
			continue
		}
		for _, pr := range prs {
			d := r.Decision(pr.Partner)
			final, ok := r.Final(pr)
			status := string(d.Kind)
			if !ok {
				status = "pending"
			} else if d.Kind == model.Pending {
				status = "hold"
			}
			if d.Kind == model.Overridden {
				status = "overridden to " + p.TierName(final)
				if r.Upward(p, pr) {
					status += " (upward)"
				}
			}
			fmt.Fprintf(w, "  %-30s %-10s → %-10s %s\n", truncate(store.CleanText(pr.Name), 30), p.TierName(pr.From), p.TierName(pr.To), status)
			for _, line := range wrap(store.CleanText(pr.Explanation), 72) {
				fmt.Fprintf(w, "      %s\n", line)
			}
		}
	}
}

func writeSummary(w io.Writer, p *model.Program, r *model.Review) {
	s := r.Summary(p)
	fmt.Fprintf(w, "  %s, %s, %s, %d new, %s (%d up, %d down)\n",
		model.Plural(s.Promotions, "promotion", "promotions"), model.Plural(s.Demotions, "demotion", "demotions"),
		model.Plural(s.Kinds[model.Grace], "grace hold", "grace holds"), s.Kinds[model.New],
		model.Plural(s.Overrides, "override", "overrides"), s.OverridesUp, s.OverridesDown)
	for i := len(p.Tiers) - 1; i >= 0; i-- {
		t := p.Tiers[i]
		fmt.Fprintf(w, "  %-12s %4d → %d\n", t.Name, s.Before[t.Key], s.After[t.Key])
	}
}

type proposalJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	From        string `json:"from"`
	To          string `json:"to"`
	Earned      string `json:"earned"`
	Kind        string `json:"kind"`
	Decision    string `json:"decision"`
	Final       string `json:"final"`
	Reason      string `json:"reason"`
	Upward      bool   `json:"upward,omitempty"`
	Explanation string `json:"explanation"`
	By          string `json:"by,omitempty"`
	At          string `json:"at,omitempty"`
}

type reviewJSONDoc struct {
	Period    string         `json:"period"`
	Status    string         `json:"status"`
	Decided   int            `json:"decided"`
	Moves     int            `json:"moves"`
	Proposals []proposalJSON `json:"proposals"`
}

func reviewJSON(p *model.Program, r *model.Review) reviewJSONDoc {
	decided, total := r.Progress()
	doc := reviewJSONDoc{Period: r.Period.String(), Status: string(r.Status), Decided: decided, Moves: total, Proposals: []proposalJSON{}}
	for _, pr := range r.Proposals {
		d := r.Decision(pr.Partner)
		final, ok := r.Final(pr)
		if ok && d.Kind == model.Pending {
			d.Kind = model.Accepted // holds count as accepted unless overridden
		}
		pj := proposalJSON{ID: pr.Partner, Name: pr.Name, From: pr.From, To: pr.To, Earned: pr.Earned, Kind: string(pr.Kind),
			Decision: string(d.Kind), Final: final, Reason: d.Reason, Upward: r.Upward(p, pr), Explanation: pr.Explanation, By: d.By}
		if !d.At.IsZero() {
			pj.At = d.At.UTC().Format("2006-01-02T15:04:05Z")
		}
		doc.Proposals = append(doc.Proposals, pj)
	}
	return doc
}

// parsePeriodFlag reads a --period value, checking it against the
// program's cadence when p is given. An empty value is the zero Period.
func parsePeriodFlag(cmd, value string, p *model.Program) (model.Period, error) {
	if value == "" {
		return model.Period{}, nil
	}
	period, err := model.ParsePeriod(value)
	if err != nil {
		return model.Period{}, usagef("%s: --period: %v", cmd, err)
	}
	if p != nil && period.Cad != p.Cadence {
		return model.Period{}, usagef("%s: --period %s does not fit the %s cadence", cmd, period, p.Cadence)
	}
	return period, nil
}
