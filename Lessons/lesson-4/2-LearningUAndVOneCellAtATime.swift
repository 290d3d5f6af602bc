// Section 2: the SGD update, one observed cell at a time.

import CFCore
import LessonKit
import TextOutput

extension Lesson4 {
    func learningUAndVOneCellAtATime() {
        book.heading("Learning U and V one cell at a time")
        book.paragraph(
            """
            We start U (20 × k) and V (15 × k) at small random values, 0.1·randn, and visit the observed cells row by row.
            For each one we compute the error of the current guess and move both factor vectors a small step, the
            learning rate, in the direction that reduces it, pulled back a little toward zero by the regularizer:
            """)
        book.code(
            """
            err   = R[i, j] − U[i] · V[j]
            U[i] += lr · (err · V[j] − reg · U[i])
            V[j] += lr · (err · U[i] − reg · V[j])      (with the U[i] just updated)
            """)
        book.paragraph(
            """
            Hidden cells never appear in this loop: they put no constraint on the factors, which is the whole point.
            The model has to get them right only because it has been forced to explain the observed cells with just k
            numbers per user and per item. The regularizer (reg = \(options.reg)) keeps the factors from growing to fit
            noise; here there is no noise, so it mostly costs a little accuracy on the observed cells.
            """)

    }
}
