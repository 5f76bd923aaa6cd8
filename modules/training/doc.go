// Package training will hold the training records service of issue 16: the
// yearly catalogue with mandatory trainings, requests and their approval,
// sessions with seats, completions and certificates, study points,
// compliance and statistics.
//
// So far it holds points.go, the study-points arithmetic of Government
// decree 273/2012 (IX. 28.) on civil servants' continuing education: pure
// functions from settings, employment dates and ledger rows to a person's
// requirement and standing in a training period, with no database and no
// clock, so the screens, the compliance view and the exports can all read
// the same figures.
package training
