// 3. Gradients, and checking them: the analytic gradients of J against finite differences, on a small problem.

import CFCore
import Foundation
import LessonKit

extension Lesson5 {
    func gradientsAndCheckingThem() throws {
        book.heading("Gradients, and checking them")
        book.paragraph("Differentiating J gives, for every movie and every user, a sum over that movie's or that user's ratings only:")
        book.code(
            """
            ∂J/∂x_i = Σ over users u who rated i of (θ_u · x_i − y_ui) θ_u  +  λ x_i
            ∂J/∂θ_u = Σ over movies i rated by u of (θ_u · x_i − y_ui) x_i  +  λ θ_u
            """)
        book.paragraph(
            """
            Both come from one pass over the observed ratings: for each rating, compute its error once and add it, weighted,
            to two gradient rows. A mistake in a gradient is silent (training just goes badly), so before trusting it we
            compare it with the slope measured numerically, (J(w + ε) − J(w − ε)) / 2ε, one parameter at a time, on a small
            random problem (4 users, 5 movies, 3 features, λ = 1.5).
            """)
        var checkRNG = RandomState(seed: book.seed &+ 7)
        let small = try Ratings(
            userCount: 4, itemCount: 5,
            ratings: (0..<4).flatMap { u in
                (0..<5).compactMap { i in
                    checkRNG.rand() < 0.6 || (u + i) % 4 == 0 ? Rating(user: u, item: i, value: Double(1 + checkRNG.integer(upTo: 4))) : nil
                }
            })
        // ✏️ Your `gradients` against finite differences of your `cost` (Cells.swift), once written.
        let checkX = checkRNG.randn(5, 3), checkTheta = checkRNG.randn(4, 3)
        let difference = try cells.gradientCheck(small, features: checkX, preferences: checkTheta, lambda: 1.5)
        book.paragraph(
            """
            Largest relative difference between the analytic and the numerical gradient over all \(5 * 3 + 4 * 3) parameters:
            \(String(format: "%.2e", difference)). Anything below about 1e-9 means the formulas and the code agree; a wrong
            sign or a missing term would show up as a difference near 1.
            """)
        book.record("gradient_check_max_relative_difference", difference)
    }
}
