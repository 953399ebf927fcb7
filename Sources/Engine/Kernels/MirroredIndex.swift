/// Where index i of a line of `count` samples reads from when the line is mirrored at its ends
/// without repeating the end sample (OpenCV's BORDER_REFLECT_101): ... 2 1 | 0 1 ... n-1 | n-2 ...
/// How the degradation synthesis blurs, and so how anything reproducing it must pad.
public func mirroredIndex(_ i: Int, count: Int) -> Int {
    guard count > 1 else { return 0 }
    var i = i
    while i < 0 || i >= count { i = i < 0 ? -i : 2 * (count - 1) - i }
    return i
}
