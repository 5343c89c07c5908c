package ui

import (
	"cmp"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
)

// This file holds the Review tab's answers to keys and to the store: every
// read and write is a command, and its result a message handled here.

func (s *reviewScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		s.ev.retry(s.now())
	}
	cmd := s.update(msg)
	if ev := s.evidenceCmd(); ev != nil {
		cmd = tea.Batch(cmd, ev)
	}
	return s, cmd
}

func (s *reviewScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reviewsLoadedMsg:
		return s.onLoaded(msg)
	case reviewStartedMsg:
		return s.onStarted(msg)
	case reviewOpenedMsg:
		if msg.seq < s.applied {
			return nil
		}
		s.applied = msg.seq
		if msg.err != nil {
			return s.c.errStatus("Could not read the review: " + msg.err.Error())
		}
		if msg.rv != nil {
			s.setCur(msg.rv)
			s.mode = reviewList
		}
		return nil
	case decisionSavedMsg:
		return s.onSaved(msg)
	case evidenceLoadedMsg:
		s.onEvidence(msg)
		return nil
	case finalizedMsg:
		return s.onFinalized(msg)
	case discardedMsg:
		return s.onDiscarded(msg)
	case tea.KeyPressMsg:
		return s.handleKey(msg)
	case tea.PasteMsg:
		if s.dialog != nil {
			_, cmd := s.dialog.update(msg)
			return cmd
		}
	case tea.MouseWheelMsg:
		step := wheelDelta(msg)
		if step == 0 {
			return nil
		}
		switch {
		case s.mode == reviewList && s.dialog == nil:
			s.move(step)
		case s.mode == reviewPeriods:
			s.pcursor = min(max(s.pcursor+step, 0), max(0, len(s.periods)-1))
		}
	}
	return nil
}

func (s *reviewScreen) onLoaded(msg reviewsLoadedMsg) tea.Cmd {
	if msg.seq < s.applied {
		return nil
	}
	s.applied = msg.seq
	if msg.err != nil {
		s.loadErr = msg.err
		if s.mode == reviewLoading {
			s.mode = reviewPeriods
		}
		return s.c.errStatus("Could not read the reviews: " + msg.err.Error())
	}
	s.loadErr = nil
	s.infos = msg.infos
	s.open = msg.open
	s.buildPeriods()
	showingOpen := s.cur != nil && s.cur.r.Status == model.ReviewOpen
	switch {
	case s.mode == reviewLoading && s.open != nil:
		s.setCur(s.open)
		s.mode = reviewList
	case s.mode == reviewLoading:
		s.mode = reviewPeriods
	case showingOpen && s.open != nil && s.open.r.Period == s.cur.r.Period:
		s.setCur(s.open)
	case showingOpen:
		// The review shown was finalized (or dropped) from elsewhere.
		period := s.cur.r.Period
		s.cur, s.dialog = nil, nil
		s.mode = reviewPeriods
		return s.c.status("The " + period.String() + " review is no longer open")
	case s.mode == reviewPeriods && s.cur == nil && s.open != nil:
		s.setCur(s.open)
		s.mode = reviewList
	}
	return nil
}

func (s *reviewScreen) onStarted(msg reviewStartedMsg) tea.Cmd {
	s.busy = ""
	s.applied = max(s.applied, msg.seq)
	if msg.err != nil {
		return s.c.errStatus("Could not start the review: " + msg.err.Error())
	}
	if msg.rv == nil {
		return s.c.errStatus("The store returned no review")
	}
	s.open = msg.rv
	s.setCur(msg.rv)
	s.mode = reviewList
	r := msg.rv.r
	verb := "Resumed"
	if msg.started {
		verb = "Started"
	}
	text := fmt.Sprintf("%s the %s review: %s, %s to decide", verb, r.Period, plural(len(r.Proposals), "partner"), plural(msg.rv.total-msg.rv.decided, "move"))
	return tea.Batch(s.c.status(text), s.loadCmd())
}

func (s *reviewScreen) onSaved(msg decisionSavedMsg) tea.Cmd {
	s.busy = ""
	s.applied = max(s.applied, msg.seq)
	if msg.err == nil {
		// The store confirmed it: the review shows it without being read
		// again.
		for _, rv := range []*preparedReview{s.open, s.cur} {
			if rv != nil && rv.r.Period == msg.period && rv.r.Status == model.ReviewOpen {
				rv.apply(s.prog, msg.decision)
			}
			if s.cur == s.open {
				break
			}
		}
	}
	var next tea.Cmd
	if len(s.queue) > 0 {
		w := s.queue[0]
		s.queue = s.queue[1:]
		next = s.runWrite(w)
	}
	if msg.err != nil {
		text := decisionError(msg.err)
		if errors.Is(msg.err, model.ErrFinalized) && next == nil {
			next = s.loadCmd() // finalized elsewhere: show it as it is
		}
		if msg.dialog && s.dialog != nil {
			s.dialog.saving = false
			s.dialog.err = text
			return next
		}
		return tea.Batch(s.c.errStatus(text), next)
	}
	if msg.dialog {
		s.dialog = nil
		s.layout()
	}
	return tea.Batch(s.c.status(msg.done), next)
}

func (s *reviewScreen) onFinalized(msg finalizedMsg) tea.Cmd {
	s.busy = ""
	s.applied = max(s.applied, msg.seq)
	if msg.err != nil {
		if msg.rv != nil && msg.rv.r.Status == model.ReviewOpen {
			s.open = msg.rv
			s.setCur(msg.rv)
		}
		s.mode = reviewList
		if errors.Is(msg.err, model.ErrUndecided) && s.cur != nil && len(s.cur.undecided) > 0 {
			s.moveTo(s.cur.undecided[0])
			return s.c.errStatus(undecidedText(len(s.cur.undecided)))
		}
		return s.c.errStatus("Not finalized: " + msg.err.Error())
	}
	if msg.rv != nil {
		s.setCur(msg.rv)
	}
	s.open = nil
	s.mode = reviewSummary
	text := fmt.Sprintf("Finalized the %s review: %s applied", s.cur.r.Period, plural(len(msg.moves), "tier change"))
	moved := movedMsg{moves: msg.moves, base: msg.base}
	return tea.Batch(s.c.status(text), func() tea.Msg { return moved })
}

func undecidedText(n int) string {
	return fmt.Sprintf("Cannot finalize: %s still undecided", plural(n, "move"))
}

// decisionError says what went wrong with a decision in the reviewer's words.
func decisionError(err error) string {
	switch {
	case errors.Is(err, model.ErrBlankReason):
		return "An override needs a reason: nothing was saved"
	case errors.Is(err, model.ErrFinalized):
		return "The review is finalized and read-only: nothing was saved"
	case errors.Is(err, model.ErrNothingToUndo):
		return "No decision to undo"
	}
	return "Not saved: " + err.Error()
}

func (s *reviewScreen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if s.dialog != nil && s.mode == reviewList {
		return s.updateDialog(msg)
	}
	switch s.mode {
	case reviewPeriods:
		return s.updatePeriods(msg)
	case reviewList:
		return s.updateList(msg)
	case reviewConfirm:
		return s.updateConfirm(msg)
	case reviewDiscard:
		return s.updateDiscard(msg)
	case reviewSummary:
		return s.updateSummary(msg)
	}
	return nil
}

func (s *reviewScreen) updatePeriods(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.keys
	last := max(0, len(s.periods)-1)
	switch {
	case key.Matches(msg, k.Up):
		s.pcursor = max(0, s.pcursor-1)
	case key.Matches(msg, k.Down):
		s.pcursor = min(last, s.pcursor+1)
	case key.Matches(msg, k.Top, k.PageUp):
		s.pcursor = 0
	case key.Matches(msg, k.Bottom, k.PageDown):
		s.pcursor = last
	case key.Matches(msg, k.Back):
		if s.cur != nil {
			s.mode = reviewList
		}
	case key.Matches(msg, k.Open):
		return s.openPeriod()
	}
	return nil
}

// openPeriod starts, resumes or browses the review of the selected period.
func (s *reviewScreen) openPeriod() tea.Cmd {
	if s.pcursor >= len(s.periods) {
		return nil
	}
	row := s.periods[s.pcursor]
	switch {
	case s.store == nil:
		return s.c.errStatus("No review store: reviews need the app's store")
	case s.busy != "":
		return s.c.status(s.busy)
	case row.info != nil && row.info.r.Status == model.ReviewFinalized:
		if s.cur != nil && s.cur.r.Status == model.ReviewFinalized && s.cur.r.Period == row.period {
			s.mode = reviewList
			return nil
		}
		s.seq++
		seq, st, p, d, period := s.seq, s.store, s.prog, s.data, row.period
		return func() tea.Msg {
			r, err := st.Review(period)
			return reviewOpenedMsg{seq: seq, rv: prepareReview(p, d, nil, r), err: err}
		}
	case s.open != nil && s.open.r.Period == row.period:
		s.setCur(s.open)
		s.mode = reviewList
		return nil
	case s.open != nil:
		return s.c.errStatus("The " + s.open.r.Period.String() + " review is open: finalize it, or discard it with D, before starting another")
	}
	return s.startCmd(row.period)
}

// startCmd starts (or resumes) the review of period.
func (s *reviewScreen) startCmd(period model.Period) tea.Cmd {
	s.seq++
	s.busy = "Starting the " + period.String() + " review…"
	seq, st, p, d, by, now := s.seq, s.store, s.prog, s.data, s.by, s.now
	return func() tea.Msg {
		r, started, err := st.StartOrResumeReview(p, period, by, now())
		msg := reviewStartedMsg{seq: seq, rv: prepareReview(p, d, nil, r), started: started, err: err}
		if started {
			// Starting evaluated every partner: at 100k partners some
			// hundreds of megabytes of short-lived evaluations, which the
			// heap would otherwise keep from the system for the rest of
			// the session.
			debug.FreeOSMemory()
		}
		return msg
	}
}

func (s *reviewScreen) updateList(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.keys
	if n, ok := navDelta(k, msg, s.listHeight-1, s.shown); ok {
		s.move(n)
		return nil
	}
	switch {
	case key.Matches(msg, k.Holds):
		keep := s.selected()
		s.showHolds = !s.showHolds
		s.rebuild(keep)
	case key.Matches(msg, k.Periods):
		s.mode = reviewPeriods
	case key.Matches(msg, k.Summary):
		s.mode = reviewSummary
	case key.Matches(msg, k.Back):
		if s.cur != nil && s.cur.r.Status == model.ReviewFinalized {
			s.mode = reviewPeriods
		}
	case key.Matches(msg, k.Accept):
		return s.accept()
	case key.Matches(msg, k.Override):
		return s.openDialog()
	case key.Matches(msg, k.Undo):
		return s.undo()
	case key.Matches(msg, k.Finalize):
		return s.askFinalize()
	case key.Matches(msg, k.Discard):
		return s.askDiscard()
	}
	return nil
}

// askDiscard asks before dropping the open review: its decisions go too.
func (s *reviewScreen) askDiscard() tea.Cmd {
	if why := s.writable(); why != "" {
		return s.c.status(why)
	}
	if s.busy != "" {
		return s.c.status("A decision is still being saved: D again in a moment")
	}
	s.mode = reviewDiscard
	return nil
}

func (s *reviewScreen) updateDiscard(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.keys
	switch {
	case key.Matches(msg, k.Confirm):
		if why := s.writable(); why != "" || s.busy != "" {
			s.mode = reviewList
			return s.c.status(cmp.Or(why, "A decision is still being saved"))
		}
		s.seq++
		s.busy = "Discarding the " + s.cur.r.Period.String() + " review…"
		seq, st, period := s.seq, s.store, s.cur.r.Period
		return func() tea.Msg { return discardedMsg{seq: seq, period: period, err: st.DiscardReview(period)} }
	case key.Matches(msg, k.Cancel):
		s.mode = reviewList
		return s.c.status("Kept the review")
	}
	return nil
}

func (s *reviewScreen) onDiscarded(msg discardedMsg) tea.Cmd {
	s.busy = ""
	s.applied = max(s.applied, msg.seq)
	if msg.err != nil {
		s.mode = reviewList
		return s.c.errStatus("Not discarded: " + msg.err.Error())
	}
	s.open, s.cur = nil, nil
	s.mode = reviewPeriods
	return tea.Batch(s.c.status("Discarded the "+msg.period.String()+" review: start it again from the list"), s.loadCmd())
}

// writable says why the review shown takes no decision, or "".
func (s *reviewScreen) writable() string {
	switch {
	case s.cur == nil:
		return "No review open"
	case s.cur.r.Status == model.ReviewFinalized:
		return "The " + s.cur.r.Period.String() + " review is finalized and read-only"
	case s.store == nil:
		return "No review store: decisions cannot be saved"
	}
	return ""
}

func (s *reviewScreen) accept() tea.Cmd {
	if why := s.writable(); why != "" {
		return s.c.status(why)
	}
	pr, ok := s.selectedProposal()
	if !ok {
		return nil
	}
	if d := s.cur.r.Decision(pr.Partner); d.Kind == model.Accepted {
		return s.c.status(clean(pr.Name) + " is already accepted")
	}
	done := "Accepted " + clean(pr.Name) + ": " + s.moveText(pr)
	by, now := s.by, s.now
	cmd := s.decide(write{busy: "Saving…", done: done, partner: pr.Partner, fn: func(r *model.Review) error {
		_, err := r.Accept(pr.Partner, by, now())
		return err
	}})
	s.nextUndecided(s.selected())
	return cmd
}

// nextUndecided moves the cursor on to the next move still waiting after
// proposal from, so a run of accepts walks the review; it stays put when
// nothing else waits. The screen shows the decision only once saved.
func (s *reviewScreen) nextUndecided(from int32) {
	var first int32 = -1
	for _, i := range s.cur.undecided {
		if i == from {
			continue
		}
		if i > from {
			s.moveTo(i)
			return
		}
		if first < 0 {
			first = i
		}
	}
	if first >= 0 {
		s.moveTo(first)
	}
}

func (s *reviewScreen) undo() tea.Cmd {
	if why := s.writable(); why != "" {
		return s.c.status(why)
	}
	pr, ok := s.selectedProposal()
	if !ok {
		return nil
	}
	if _, decided := s.cur.r.Decisions[pr.Partner]; !decided {
		return s.c.status("No decision on " + clean(pr.Name) + " to undo")
	}
	return s.decide(write{busy: "Saving…", done: "Undid the decision on " + clean(pr.Name), partner: pr.Partner, fn: func(r *model.Review) error {
		return r.Undo(pr.Partner)
	}})
}

// decide saves a decision: now, or after the write in flight.
func (s *reviewScreen) decide(w write) tea.Cmd {
	if s.busy != "" {
		s.queue = append(s.queue, w)
		return nil
	}
	return s.runWrite(w)
}

// runWrite runs the write's fn on the stored review in one transaction,
// in a command: a read and a write of the one partner's proposal and
// decision, whatever the size of the review.
func (s *reviewScreen) runWrite(w write) tea.Cmd {
	s.seq++
	s.busy = w.busy
	seq, st, period := s.seq, s.store, s.cur.r.Period
	return func() tea.Msg {
		d, err := st.UpdateReview(period, w.partner, w.fn)
		return decisionSavedMsg{seq: seq, period: period, decision: d, done: w.done, dialog: w.dialog, err: err}
	}
}

func (s *reviewScreen) openDialog() tea.Cmd {
	if why := s.writable(); why != "" {
		return s.c.status(why)
	}
	pr, ok := s.selectedProposal()
	if !ok {
		return nil
	}
	s.dialog = newOverrideDialog(s.c, s.prog, pr, s.cur.r.Decision(pr.Partner))
	s.dialog.setWidth(s.dialogWidth())
	s.layout()
	return s.dialog.focus(fieldTier)
}

func (s *reviewScreen) updateDialog(msg tea.KeyPressMsg) tea.Cmd {
	dl := s.dialog
	action, cmd := dl.update(msg)
	switch action {
	case dialogCancel:
		s.dialog = nil
		return s.c.status("Override cancelled: nothing saved")
	case dialogSubmit:
		return s.submitOverride()
	}
	return cmd
}

// submitOverride checks the dialog and saves the override; a blank reason
// or the proposed tier is refused in the dialog and nothing is written.
func (s *reviewScreen) submitOverride() tea.Cmd {
	dl := s.dialog
	if dl.saving {
		return nil
	}
	if why := s.writable(); why != "" {
		dl.err = why
		return nil
	}
	tier, reason := dl.tierKey(), strings.TrimSpace(dl.reason())
	if reason == "" {
		dl.err = "An override needs a reason: type why, then enter. Nothing was saved."
		return dl.focus(fieldReason)
	}
	if tier == dl.pr.To {
		dl.err = s.prog.TierName(tier) + " is what the review proposes: esc, then a accepts it"
		return dl.focus(fieldTier)
	}
	dl.err, dl.saving = "", true
	pr, p, by, now := dl.pr, s.prog, s.by, s.now
	done := "Overrode " + clean(pr.Name) + " to " + p.TierName(tier)
	if p.TierIndex(tier) > p.TierIndex(pr.Earned) {
		done += " (upward: above what it earns)"
	}
	return s.decide(write{busy: "Saving the override…", done: done, dialog: true, partner: pr.Partner, fn: func(r *model.Review) error {
		_, err := r.Override(p, pr.Partner, tier, reason, by, now())
		return err
	}})
}

func (s *reviewScreen) askFinalize() tea.Cmd {
	if why := s.writable(); why != "" {
		return s.c.status(why)
	}
	if s.busy != "" {
		return s.c.status("A decision is still being saved: F again in a moment")
	}
	if n := len(s.cur.undecided); n > 0 {
		s.moveTo(s.cur.undecided[0])
		return s.c.errStatus(undecidedText(n) + ": decide them, then F")
	}
	s.mode = reviewConfirm
	return nil
}

func (s *reviewScreen) updateConfirm(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.keys
	switch {
	case key.Matches(msg, k.Confirm):
		if why := s.writable(); why == "" && s.busy != "" {
			return s.c.status("A decision is still being saved: y again in a moment")
		} else if why != "" {
			s.mode = reviewList
			return s.c.status(why)
		}
		s.seq++
		s.busy = "Finalizing the " + s.cur.r.Period.String() + " review…"
		seq, st, p, d, prev, period, by, now := s.seq, s.store, s.prog, s.data, s.cur, s.cur.r.Period, s.by, s.now
		return func() tea.Msg {
			r, hist, err := st.FinalizeReview(p, period, by, now())
			if err == nil && r != nil && r.Proposals == nil && !prev.sameReview(r) {
				// Another terminal started the period's review again: the
				// one finalized is not the one on screen, so read it.
				if again, rerr := st.Review(period); rerr == nil {
					r = again
				}
			}
			return finalizedMsg{seq: seq, rv: prepareReview(p, d, prev, r), moves: hist, base: d, err: err}
		}
	case key.Matches(msg, k.Cancel):
		s.mode = reviewList
		return s.c.status("Not finalized: the review stays open")
	}
	return nil
}

func (s *reviewScreen) updateSummary(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.keys
	switch {
	case key.Matches(msg, k.Back, k.Open, k.Summary):
		if s.cur != nil {
			s.mode = reviewList
		}
	case key.Matches(msg, k.Periods):
		s.mode = reviewPeriods
	case key.Matches(msg, k.Accept, k.Override, k.Undo, k.Finalize):
		if s.cur != nil && s.cur.r.Status == model.ReviewFinalized {
			return s.c.status("The " + s.cur.r.Period.String() + " review is finalized and read-only")
		}
		if s.cur != nil && key.Matches(msg, k.Finalize) {
			s.mode = reviewList
			return s.askFinalize()
		}
	}
	return nil
}
