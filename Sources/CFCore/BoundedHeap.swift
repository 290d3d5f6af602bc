/// The best `capacity` elements offered so far, in a binary heap whose root is the worst kept: offering an element
/// costs O(log capacity), and nothing beyond the kept ones is stored (a top-k list without sorting everything).
struct BoundedHeap<Element> {
    /// The kept elements, in heap order (not sorted).
    private(set) var elements: [Element] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
        elements.reserveCapacity(self.capacity)
    }

    /// Keeps `element` if fewer than `capacity` are kept or it is better than the worst kept (which it then replaces).
    /// `better(a, b)`: a ranks above b; a strict total order, the same at every offer, so that what is kept does not
    /// depend on the order of the offers.
    mutating func offer(_ element: Element, by better: (Element, Element) -> Bool) {
        if elements.count < capacity {
            elements.append(element)
            var c = elements.count - 1
            while c > 0, better(elements[(c - 1) / 2], elements[c]) {
                elements.swapAt(c, (c - 1) / 2)
                c = (c - 1) / 2
            }
        } else if capacity > 0, better(element, elements[0]) {
            elements[0] = element
            var c = 0
            while true {
                let l = 2 * c + 1, r = l + 1
                var worst = c
                if l < elements.count, better(elements[worst], elements[l]) { worst = l }
                if r < elements.count, better(elements[worst], elements[r]) { worst = r }
                if worst == c { break }
                elements.swapAt(c, worst)
                c = worst
            }
        }
    }

    /// Empties the heap, keeping its storage.
    mutating func removeAll() { elements.removeAll(keepingCapacity: true) }
}
