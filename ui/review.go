package ui

import (
	"cmp"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// reviewMode is what the Review tab shows.
type reviewMode int

const (
	reviewLoading reviewMode = iota // the first read of the store
	reviewPeriods                   // periods to start, past reviews to browse
	reviewList                      // a review's proposals and the evidence
	reviewConfirm                   // the finalize confirmation
	reviewDiscard                   // the discard confirmation
	reviewSummary                   // the counts: after finalize, or as they stand
)

// recentPeriods is how many periods, ending at the default one, the period
// list offers to start.
const recentPeriods = 4

// reviewScreen is the Review tab: start or resume a review, walk its
// proposals with their evidence, accept, override or undo each one, and
// finalize. Every decision goes through the store in a command; the screen
// shows only what the store confirmed.
type reviewScreen struct {
	c     *common
	store ReviewStore
	prog  *model.Program
	now   func() time.Time
	by    string
	data  *dataset

	width, height int
	mode          reviewMode
	loadErr       error

	open          *preparedReview // the open review; nil when none
	cur           *preparedReview // the review shown: the open one or a finalized one
	infos         []reviewInfo    // every review in the store
	defaultPeriod model.Period

	// The period list.
	periods []periodRow
	pcursor int

	// The proposal list: visible groups with their positions and lines.
	showHolds  bool
	groups     []groupView
	shown      int // selectable rows
	lines      int // list lines: group headers and rows
	cursor     int
	offset     int
	listHeight int

	dialog *overrideDialog

	// ev holds the evidence of the proposals around the cursor: reviews
	// come without it, and it is read a screenful at a time.
	ev evidenceCache

	// seq numbers every request; results older than applied are stale.
	// Writes are one at a time (busy), decisions made meanwhile wait in
	// queue, and no read starts while a write runs.
	seq, applied int
	busy         string // what is being written, "" when nothing
	queue        []write
}

// write is one decision on its way to the store.
type write struct {
	busy, done string
	partner    string // the partner decided on
	fn         func(*model.Review) error
	dialog     bool // the override dialog waits for it
}

// preparedReview is a review with what the screen needs worked out in the
// command that read it, so that Update never walks every proposal. A
// confirmed decision changes it in place (apply), in Update; commands
// read only its proposals and layout, which never change.
type preparedReview struct {
	r *model.Review
	*reviewLayout
	decided   int
	total     int     // moves to decide
	undecided []int32 // the moves still waiting, in review order
	sum       model.ReviewSummary
}

// reviewLayout is what a review's proposals alone decide: frozen when the
// review starts, so a review read again shares it (and its proposals)
// with the one read before.
type reviewLayout struct {
	groups    []kindGroup      // in model.Kinds order
	index     map[string]int32 // partner id → proposal index
	managers  []string         // per proposal: the partner's manager
	nameWidth int              // the widest name, up to 30 cells
	moveWidth int              // the widest move: "Registered → Silver"
}

type kindGroup struct {
	kind model.MoveKind
	rows []int32 // proposal indices
}

// groupView is a group as the list shows it.
type groupView struct {
	g      int     // index into cur.groups
	rows   []int32 // nil when folded
	folded bool
	first  int // position of the first row among the selectable rows
	line   int // list line of the header
}

// reviewInfo is one stored review as the period list shows it, read
// without its proposals (store.ReviewInfo).
type reviewInfo struct {
	r              *model.Review // the header and decisions: no proposals to browse
	decided, total int
	sum            model.ReviewSummary
}

// periodRow is one line of the period list.
type periodRow struct {
	period    model.Period
	info      *reviewInfo // nil: not reviewed
	isDefault bool
}

// Results of the review commands, addressed to the Review tab.
type (
	toReview         struct{}
	reviewsLoadedMsg struct {
		toReview
		seq   int
		open  *preparedReview
		infos []reviewInfo
		err   error
	}
	reviewStartedMsg struct {
		toReview
		seq     int
		rv      *preparedReview
		started bool
		err     error
	}
	reviewOpenedMsg struct {
		toReview
		seq int
		rv  *preparedReview
		err error
	}
	decisionSavedMsg struct {
		toReview
		seq      int
		period   model.Period
		decision model.Decision // as stored; Kind Pending when undone
		done     string         // what to say on success
		dialog   bool           // the override dialog's write
		err      error
	}
	evidenceLoadedMsg struct {
		toReview
		key reviewKey
		ids []string                  // asked for
		prs map[string]model.Proposal // in full
		err error
	}
	discardedMsg struct {
		toReview
		seq    int
		period model.Period
		err    error
	}
	finalizedMsg struct {
		toReview
		seq   int
		rv    *preparedReview
		moves []model.History // what the finalize changed
		base  *dataset        // the rows on screen when it was asked
		err   error
	}
)

func (toReview) addressedTo(s screen) bool { _, ok := s.(*reviewScreen); return ok }

func newReviewScreen(c *common, opts Options) *reviewScreen {
	return &reviewScreen{
		c: c, store: opts.Reviews, prog: opts.Program, now: opts.Now,
		by: cmp.Or(strings.TrimSpace(opts.Reviewer), "partnertiers"),
	}
}

func (s *reviewScreen) Title() string { return "Review" }

func (s *reviewScreen) SetData(d *dataset) {
	s.data = d
	var periods []model.Period
	if d.snap != nil {
		periods = d.snap.Periods
	}
	s.defaultPeriod = model.CurrentPeriod(s.now(), s.prog.Cadence, periods)
	s.buildPeriods()
}

func (s *reviewScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.dialog != nil {
		s.dialog.setWidth(s.dialogWidth())
	}
	s.layout()
	// A taller window should show more of what is above, not keep the
	// offset a smaller one needed (which left a group's header over its
	// last row with the rest scrolled away).
	if s.shown > 0 {
		s.offset = min(s.offset, max(0, s.lineOf(s.cursor)-s.listHeight+2))
		s.scroll()
	}
}

func (s *reviewScreen) Capturing() bool { return s.dialog != nil }

func (s *reviewScreen) Cursor() *tea.Cursor {
	if s.dialog == nil || s.mode != reviewList {
		return nil
	}
	c := s.dialog.cursor()
	if c == nil {
		return nil
	}
	c.Y += 1 + s.listHeight // the title line and the list
	return c
}

// Load reads the reviews when the snapshot (re)loads.
func (s *reviewScreen) Load() tea.Cmd { return s.loadCmd() }

func (s *reviewScreen) LoadFailed() bool { return s.loadErr != nil }

// Enter reads the reviews again when the tab is shown: another terminal
// may have decided something.
func (s *reviewScreen) Enter() tea.Cmd { return s.loadCmd() }

// loadCmd reads every review's counts and the open review. The open
// review's proposals are frozen, so when it is the one already shown only
// its decisions are read again.
func (s *reviewScreen) loadCmd() tea.Cmd {
	if s.store == nil {
		if s.mode == reviewLoading {
			s.mode = reviewPeriods
		}
		return nil
	}
	if s.busy != "" {
		return nil
	}
	s.seq++
	seq, st, p, d, prev := s.seq, s.store, s.prog, s.data, s.open
	return func() tea.Msg {
		msg := reviewsLoadedMsg{seq: seq}
		all, err := st.ReviewInfos(p)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.infos = make([]reviewInfo, 0, len(all))
		var open *store.ReviewInfo
		for i := range all {
			in := &all[i]
			if in.Review == nil {
				continue
			}
			msg.infos = append(msg.infos, reviewInfo{r: in.Review, decided: in.Decided, total: in.Moves, sum: in.Summary})
			if in.Review.Status == model.ReviewOpen && open == nil {
				open = in
			}
		}
		slices.SortFunc(msg.infos, func(a, b reviewInfo) int { return b.r.Period.Compare(a.r.Period) })
		switch {
		case open == nil:
		case prev.sameReview(open.Review) && len(prev.r.Proposals) == open.Proposals:
			r := *open.Review
			r.Proposals, r.Decisions = prev.r.Proposals, maps.Clone(open.Review.Decisions)
			msg.open = prepareReview(p, d, prev, &r)
		default:
			r, err := st.OpenReview()
			switch {
			case errors.Is(err, store.ErrNotFound): // finalized or discarded since
			case err != nil:
				msg.err = err
			default:
				msg.open = prepareReview(p, d, prev, r)
			}
		}
		return msg
	}
}

// sameReview reports whether r is the review rv was read from: the same
// period, started at the same moment (a review evaluated again starts
// anew), so with the same proposals.
func (rv *preparedReview) sameReview(r *model.Review) bool {
	return rv != nil && r != nil && rv.r.Period == r.Period && rv.r.StartedAt.Equal(r.StartedAt)
}

// prepareReview works out the groups, counts and lookups of a review. It
// runs inside commands. prev, when it is the same review, lends its
// proposals and layout: proposals are frozen when a review starts. A
// review read without its proposals (nil, as a finalize returns it) takes
// prev's.
func prepareReview(p *model.Program, d *dataset, prev *preparedReview, r *model.Review) *preparedReview {
	if r == nil {
		return nil
	}
	if r.Decisions == nil {
		r.Decisions = map[string]model.Decision{}
	}
	rv := &preparedReview{r: r}
	if prev.sameReview(r) && (r.Proposals == nil || len(prev.r.Proposals) == len(r.Proposals)) {
		r.Proposals, rv.reviewLayout = prev.r.Proposals, prev.reviewLayout
	} else {
		rv.reviewLayout = layoutReview(p, d, r)
	}
	for i, pr := range r.Proposals {
		if _, ok := r.Final(pr); !ok {
			rv.undecided = append(rv.undecided, int32(i))
		}
	}
	rv.decided, rv.total = r.Progress()
	rv.sum = r.Summary(p)
	return rv
}

func layoutReview(p *model.Program, d *dataset, r *model.Review) *reviewLayout {
	l := &reviewLayout{index: make(map[string]int32, len(r.Proposals))}
	byKind := map[model.MoveKind]int{}
	for _, k := range model.Kinds {
		byKind[k] = len(l.groups)
		l.groups = append(l.groups, kindGroup{kind: k})
	}
	for i, pr := range r.Proposals {
		g, ok := byKind[pr.Kind]
		if !ok { // a kind this screen does not know: a group of its own
			g = len(l.groups)
			byKind[pr.Kind] = g
			l.groups = append(l.groups, kindGroup{kind: pr.Kind})
		}
		l.groups[g].rows = append(l.groups[g].rows, int32(i))
		l.index[pr.Partner] = int32(i)
		l.moveWidth = max(l.moveWidth, textWidth(moveCell(p, pr)))
		if l.nameWidth < 30 {
			l.nameWidth = max(l.nameWidth, min(30, textWidth(clean(pr.Name))))
		}
	}
	l.managers = make([]string, len(r.Proposals))
	if d != nil && d.snap != nil {
		managers := make(map[string]string, len(d.snap.Partners))
		for i := range d.snap.Partners {
			managers[d.snap.Partners[i].ID] = d.snap.Partners[i].Manager
		}
		for i, pr := range r.Proposals {
			l.managers[i] = clean(managers[pr.Partner])
		}
	}
	return l
}

// apply records a decision the store confirmed, as the review would read
// back from it, without a walk over every proposal: the counts change by
// what the one decision changed. It runs in Update.
func (rv *preparedReview) apply(p *model.Program, d model.Decision) {
	i, ok := rv.index[d.Partner]
	if !ok {
		return
	}
	pr := rv.r.Proposals[i]
	old, had := rv.r.Decisions[d.Partner]
	now := d.Kind != model.Pending
	rv.sum.Uncount(p, pr, old, had)
	rv.sum.Count(p, pr, d, now)
	if now {
		rv.r.Decisions[d.Partner] = d
	} else {
		delete(rv.r.Decisions, d.Partner)
	}
	if !pr.Kind.IsMove() || had == now {
		return
	}
	at, found := slices.BinarySearch(rv.undecided, i)
	switch {
	case now && found:
		rv.decided++
		rv.undecided = slices.Delete(rv.undecided, at, at+1)
	case !now && !found:
		rv.decided--
		rv.undecided = slices.Insert(rv.undecided, at, i)
	}
}

// anyToStart reports whether the period list offers a period not yet
// reviewed.
func (s *reviewScreen) anyToStart() bool {
	for _, pr := range s.periods {
		if pr.info == nil {
			return true
		}
	}
	return false
}

// buildPeriods lists the recent periods of the cadence and every stored
// review, newest first.
func (s *reviewScreen) buildPeriods() {
	if s.defaultPeriod.IsZero() {
		return
	}
	keep := model.Period{}
	if s.pcursor < len(s.periods) {
		keep = s.periods[s.pcursor].period
	}
	s.periods = s.periods[:0]
	seen := map[model.Period]bool{}
	for i := range s.infos {
		in := &s.infos[i]
		s.periods = append(s.periods, periodRow{period: in.r.Period, info: in, isDefault: in.r.Period == s.defaultPeriod})
		seen[in.r.Period] = true
	}
	// Unreviewed periods are offered only after the last one reviewed (a
	// finalized review, or review moves on record in the history), as
	// model.CheckReviewPeriod rules: reviewing an earlier one on older
	// data would undo moves made since.
	reviews := make([]*model.Review, len(s.infos))
	for i := range s.infos {
		reviews[i] = s.infos[i].r
	}
	lastFinal := model.LastReviewed(s.prog, reviews, nil)
	if s.data != nil && lastFinal.Before(s.data.reviewedInHistory) {
		lastFinal = s.data.reviewedInHistory
	}
	for i := range recentPeriods {
		pe := s.defaultPeriod.Step(-i)
		if !seen[pe] && (lastFinal.IsZero() || lastFinal.Before(pe)) {
			s.periods = append(s.periods, periodRow{period: pe, isDefault: i == 0})
		}
	}
	slices.SortStableFunc(s.periods, func(a, b periodRow) int {
		if a.period.Cad != b.period.Cad {
			return cmp.Compare(b.period.Start().Unix(), a.period.Start().Unix())
		}
		return b.period.Compare(a.period)
	})
	s.pcursor = 0
	want := keep
	if want.IsZero() {
		want = s.defaultPeriod
	}
	for i, r := range s.periods {
		if r.period == want {
			s.pcursor = i
		}
	}
}

// setCur shows rv, keeping the cursor on the partner it was on when there
// is one, else on the first move still to decide.
func (s *reviewScreen) setCur(rv *preparedReview) {
	keep := int32(-1)
	same := s.cur != nil && s.cur.r.Period == rv.r.Period
	if sel := s.selected(); same && sel >= 0 {
		if i, ok := rv.index[s.cur.r.Proposals[sel].Partner]; ok {
			keep = i
		}
	} else if !same {
		s.cursor, s.offset = 0, 0
		if len(rv.undecided) > 0 {
			keep = rv.undecided[0]
		}
	}
	s.cur = rv
	s.rebuild(keep)
}

// rebuild lays out the groups after the review or the folding changed.
func (s *reviewScreen) rebuild(keep int32) {
	s.groups = s.groups[:0]
	pos, line := 0, 0
	if s.cur != nil {
		for i, g := range s.cur.groups {
			if len(g.rows) == 0 {
				continue
			}
			gv := groupView{g: i, first: pos, line: line}
			if g.kind == model.Hold && !s.showHolds {
				gv.folded = true
			} else {
				gv.rows = g.rows
			}
			s.groups = append(s.groups, gv)
			pos += len(gv.rows)
			line += 1 + len(gv.rows)
		}
	}
	s.shown, s.lines = pos, line
	if keep >= 0 {
		for _, gv := range s.groups {
			if i := slices.Index(gv.rows, keep); i >= 0 {
				s.cursor = gv.first + i
				break
			}
		}
	}
	s.layout()
}

// layout is the arithmetic of a size: the list takes what it needs, up to
// a share of the height, and the evidence the rest.
func (s *reviewScreen) layout() {
	body := max(1, s.height-1) // below the title line
	maxList := max(3, max(body*2/5, body-20))
	s.listHeight = max(1, min(max(s.lines, 1), maxList, body))
	if s.dialog != nil {
		s.dialog.setWidth(s.dialogWidth())
	}
	s.scroll()
}

func (s *reviewScreen) dialogWidth() int { return min(s.width, 100) }

// selected is the proposal index under the cursor, or -1.
func (s *reviewScreen) selected() int32 {
	if s.cur == nil || s.shown == 0 {
		return -1
	}
	gv := s.groups[s.groupAt(s.cursor)]
	return gv.rows[s.cursor-gv.first]
}

// selectedProposal is the proposal under the cursor.
func (s *reviewScreen) selectedProposal() (model.Proposal, bool) {
	i := s.selected()
	if i < 0 {
		return model.Proposal{}, false
	}
	return s.cur.r.Proposals[i], true
}

// groupAt is the visible group holding position pos.
func (s *reviewScreen) groupAt(pos int) int {
	for i := len(s.groups) - 1; i > 0; i-- {
		if len(s.groups[i].rows) > 0 && pos >= s.groups[i].first {
			return i
		}
	}
	for i, gv := range s.groups {
		if len(gv.rows) > 0 {
			return i
		}
	}
	return 0
}

func (s *reviewScreen) lineOf(pos int) int {
	gv := s.groups[s.groupAt(pos)]
	return gv.line + 1 + pos - gv.first
}

// scroll keeps the cursor's row on screen, with the line above it (its
// group's header, or the row the sticky header covers).
func (s *reviewScreen) scroll() {
	if s.shown == 0 {
		s.cursor = 0
		s.offset = min(s.offset, max(0, s.lines-s.listHeight))
		return
	}
	s.cursor = min(max(s.cursor, 0), s.shown-1)
	l := s.lineOf(s.cursor)
	top := l - 1
	if top < s.offset {
		s.offset = top
	}
	if l >= s.offset+s.listHeight {
		s.offset = l - s.listHeight + 1
	}
	s.offset = min(max(s.offset, 0), max(0, s.lines-s.listHeight))
	// The last line says what is below while there is more: keep the
	// cursor off it.
	if s.moreBelow() && l >= s.offset+s.listHeight-1 && s.listHeight >= 3 {
		s.offset = min(s.offset+1, max(0, s.lines-s.listHeight))
	}
}

// moreBelow reports whether the list goes on below the window.
func (s *reviewScreen) moreBelow() bool { return s.offset+s.listHeight < s.lines && s.listHeight >= 3 }

func (s *reviewScreen) move(n int) {
	s.cursor += n
	s.scroll()
}

// moveTo puts the cursor on proposal i, unfolding the holds if need be.
func (s *reviewScreen) moveTo(i int32) {
	if s.cur.r.Proposals[i].Kind == model.Hold && !s.showHolds {
		s.showHolds = true
	}
	s.rebuild(i)
}

// moveText is a proposal's move in words: "Gold → Silver", or "stays Gold".
func (s *reviewScreen) moveText(pr model.Proposal) string {
	if pr.From == pr.To {
		return "stays " + s.prog.TierName(pr.From)
	}
	return s.prog.TierName(pr.From) + " → " + s.prog.TierName(pr.To)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

func (s *reviewScreen) ShortHelp() []key.Binding {
	k := s.c.keys
	switch {
	case s.dialog != nil && s.mode == reviewList:
		if s.dialog.field == fieldReason {
			return []key.Binding{k.DialogSave, k.DialogField, k.ReasonTierDown, k.DialogCancel}
		}
		return []key.Binding{k.DialogSave, k.TierLower, k.DialogField, k.DialogCancel}
	}
	switch s.mode {
	case reviewPeriods:
		open := k.Open
		if s.pcursor < len(s.periods) {
			switch row := s.periods[s.pcursor]; {
			case row.info != nil && row.info.r.Status == model.ReviewFinalized:
				open.SetHelp("enter", "browse")
			case row.info != nil:
				open.SetHelp("enter", "resume")
			default:
				open.SetHelp("enter", "start")
			}
		}
		out := []key.Binding{open, k.Down, k.Up}
		if s.cur != nil {
			out = append(out, k.Back)
		}
		return out
	case reviewList:
		holds := s.holdsBinding()
		if s.cur != nil && s.cur.r.Status == model.ReviewFinalized {
			return []key.Binding{k.Down, k.Up, holds, k.Summary, k.Periods, k.Back}
		}
		return []key.Binding{k.Accept, k.Override, k.Undo, k.Finalize, holds, k.Down, k.Up}
	case reviewConfirm:
		return []key.Binding{k.Confirm, k.Cancel}
	case reviewDiscard:
		confirm := k.Confirm
		confirm.SetHelp("y/enter", "discard")
		return []key.Binding{confirm, k.Cancel}
	case reviewSummary:
		browse := k.Back
		browse.SetHelp("esc/enter", "decisions")
		return []key.Binding{browse, k.Periods}
	}
	return nil
}

func (s *reviewScreen) holdsBinding() key.Binding {
	b := s.c.keys.Holds
	if s.showHolds {
		b.SetHelp("h", "hide holds")
	}
	return b
}

func (s *reviewScreen) FullHelp() [][]key.Binding {
	k := s.c.keys
	if s.mode == reviewList && s.dialog == nil {
		if s.cur != nil && s.cur.r.Status == model.ReviewFinalized {
			return [][]key.Binding{
				{s.holdsBinding(), k.Summary, k.Periods, k.Back},
				{k.Down, k.Up, k.PageDown, k.PageUp, k.HalfPageDown, k.HalfPageUp, k.Top, k.Bottom},
			}
		}
		return [][]key.Binding{
			{k.Accept, k.Override, k.Undo, k.Finalize, k.Discard},
			{s.holdsBinding(), k.Summary, k.Periods},
			{k.Down, k.Up, k.PageDown, k.PageUp, k.HalfPageDown, k.HalfPageUp, k.Top, k.Bottom},
		}
	}
	if s.dialog != nil && s.mode == reviewList {
		return [][]key.Binding{{k.DialogSave, k.DialogCancel, k.DialogField}, {k.TierLower, k.ReasonTierDown}}
	}
	return [][]key.Binding{s.ShortHelp()}
}
