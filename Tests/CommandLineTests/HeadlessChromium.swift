import Foundation
import XCTest

/// Debian's Chromium, headless, as a restorer's browser for the report pages: a screenshot, or the
/// DOM once the page's scripts have run. Pages load from file:// with the network off, so a page
/// that needed anything from elsewhere would show it.
struct HeadlessChromium {
    static let program = "/usr/bin/chromium"
    let test: CommandLineTestCase

    private var common: [String] {
        // As root Chromium needs --no-sandbox; the virtual time budget lets every picture load
        // and every load handler run before the page is read.
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--force-device-scale-factor=1",
            "--proxy-server=127.0.0.1:9", "--virtual-time-budget=5000"
        ]
    }

    private func chromium(_ arguments: [String]) throws -> CommandLineTestCase.Result {
        guard FileManager.default.isExecutableFile(atPath: Self.program) else {
            throw CommandLineTestCase.CommandFailure(description: "\(Self.program) is missing: scripts/test.sh installs Debian's chromium")
        }
        let profile = NSTemporaryDirectory() + "filmsr-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        return try test.executeSucceeding(Self.program, common + ["--user-data-dir=" + profile] + arguments)
    }

    /// The page as pixels, `width` x `height`, 8-bit RGB rows.
    func screenshot(_ page: String, width: Int, height: Int) throws -> Data {
        let picture = NSTemporaryDirectory() + "filmsr-screenshot-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: picture) }
        try chromium(["--window-size=\(width),\(height)", "--screenshot=" + picture, URL(fileURLWithPath: page).absoluteString])
        let pixels = try test.rgbBytes(picture)
        XCTAssertEqual(pixels.count, 3 * width * height, "screenshot size")
        return pixels
    }

    /// The page's DOM, serialised after its scripts ran in a window of `width` x `height`.
    func dom(_ page: String, width: Int = 1280, height: Int = 900) throws -> String {
        try chromium(["--window-size=\(width),\(height)", "--dump-dom", URL(fileURLWithPath: page).absoluteString]).output
    }
}
