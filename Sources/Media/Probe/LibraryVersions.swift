import CFFmpeg

/// The FFmpeg library versions this process runs with (not the ones it was built against).
public enum LibraryVersions {
    public static var text: String {
        func version(_ name: String, _ packed: UInt32) -> String {
            "\(name) \(packed >> 16).\(packed >> 8 & 0xFF).\(packed & 0xFF)"
        }
        return [version("avformat", avformat_version()), version("avcodec", avcodec_version()),
                version("swscale", swscale_version()), version("avfilter", avfilter_version()),
                version("avutil", avutil_version())].joined(separator: ", ")
    }
}
