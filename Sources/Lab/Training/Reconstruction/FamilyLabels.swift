import Pipeline

extension FamilyClassifier {
    /// The class index of each synthesised sample's degradation family, the targets of the
    /// classifier's cross-entropy during pretraining.
    static func labels(_ records: [DegradationRecord]) -> [Int] {
        records.map { families.firstIndex(of: $0.family)! }
    }
}
