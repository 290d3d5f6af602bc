// Lesson 9: beyond stars. MovieLens read as implicit feedback (who watched what), ranking models judged by the short
// list they show: two evaluation protocols, the ranking metrics, popularity, item-item neighbours, weighted ALS,
// BPR and a rating model, sampled against full ranking, and a new user's list from a few interactions.
//
// Run it with `swift run lesson-9` (`make lesson-9` does). This file is the outline: each section is a
// file of this folder, numbered in the order below; the state they share is `Lesson9` (0-Context.swift), and the
// models they train are built in Models.swift.

import Exercises
import LessonKit

let options = Options.parseOrExplain()
let chosenCells: any Lesson9Cells = options.common.solutions ? Lesson9Exercises.solutions : YourCells()

Lesson.run(9, options: options.common, exercises: chosenCells.exercises()) { book in
    var lesson = try Lesson9(book: book, options: options, cells: chosenCells.completed(book.writtenCells))
    lesson.whoWatchedWhat()  // the ratings as interactions, and how uneven they are
    try lesson.twoWaysToHoldOut()  // random 20% per user, and leave last out
    try lesson.judgingAShortList()  // the ranking metrics; ✏️ precisionAtK and ndcgAtK
    lesson.theModels()  // six rankers, from a coin to BPR
    try lesson.settingsChosenOnValidation()  // every setting chosen on validation
    try lesson.howWeightedALSAndBPRLearn()  // their objectives and speed; ✏️ bprStep
    try lesson.testedOnce()  // every model tested once, and what the lists show
    lesson.whyRankTheWholeCatalogue()  // sampled metrics against the full ranking
    try lesson.aNewUser()  // a new user's list from a handful of interactions
    lesson.exercises()
}
