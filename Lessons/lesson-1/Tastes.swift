// Lesson 1's movies and users: three hidden "taste" numbers each. Edit them here and run the lesson again.

// ✏️ Exercise: add a movie here (three numbers in [-1, 1]) and run the lesson again.
let movies: [(name: String, factors: [Double])] = [
    ("Star Wars", [0.98, -0.9, 0.9]),
    ("Casablanca", [-0.99, -0.97, 0.4]),
    ("Alien", [0.9, -0.5, 0.6]),
    ("Notting Hill", [-0.9, 0.1, -0.8]),
    ("Mad Max: Fury Road", [0.6, 0.9, 1.0]),
    ("Roman Holiday", [-0.95, -0.95, -0.7])
]
// ✏️ Exercise: edit a user's tastes here, or pass --you a,b,c to add your own.
let builtInUsers: [(name: String, tastes: [Double])] = [
    ("user_1", [0.9, -0.6, 0.8]),
    ("ana", [0.8, 0.7, -0.3]),
    ("ben", [-0.9, -0.8, -0.5]),
    ("chloe", [0.1, 0.3, 0.95])
]
/// The names of the three taste dimensions.
let factorNames = ["sci-fi", "novelty", "action"]
