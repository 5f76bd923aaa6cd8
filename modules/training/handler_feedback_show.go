package training

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/linktoken"
	"kapu/modules/platform/web"
)

// feedbackScores are the scores offered, worst first (as in the mail).
var feedbackScores = []int{1, 2, 3, 4, 5}

// feedbackForm is what the rating form shows again.
type feedbackForm struct {
	Score   int
	Comment string
}

// handleFeedbackShow is the rating page of a mail's link, the mail's score
// ticked. It records nothing: mail scanners open every link they find.
func (m *Module) handleFeedbackShow(c *fiber.Ctx) error {
	token := c.Params("token")
	v, err := m.svc.FeedbackLinkView(c.UserContext(), token)
	if err != nil {
		return err
	}
	score, _ := strconv.Atoi(c.Query("score"))
	if score < 1 || score > 5 {
		score = 0
	}
	done := c.Query("done") == "1" && v.State == FeedbackDone // the thanks after the POST's redirect
	return m.renderFeedback(c, token, v, feedbackForm{Score: score}, nil, done, 0)
}

// renderFeedback shows v in the participant's language: the form while the
// link is valid, else why not. An unknown link is 404; a POST that could not
// rate says so with 409, or with status when it is not 0.
func (m *Module) renderFeedback(c *fiber.Ctx, token string, v *FeedbackView, form feedbackForm, errs web.Errors, done bool, status int) error {
	if v.Lang != "" {
		web.SetLang(c, v.Lang)
	}
	p := web.Page{Title: "training.feedback.title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"V": v, "Token": token, "Sig": m.svc.FeedbackSig(token), "Scores": feedbackScores, "Done": done}}
	switch {
	case v.State == linktoken.Unknown:
		p.Status = fiber.StatusNotFound
	case status == 0 && c.Method() == fiber.MethodPost && v.State != linktoken.Valid:
		p.Status = fiber.StatusConflict
	}
	return web.RenderForm(c, "training/feedback", p)
}
