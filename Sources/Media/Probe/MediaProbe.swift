import CFFmpeg

/// Reads a file's stream facts, counting frames and measuring frame intervals itself.
public enum MediaProbe {
    /// `measuringFields`: also run idet over the first pictures (`FieldStructure.measure`), since
    /// the field order tag can lie.
    public static func probe(_ path: String, measuringFields: Bool = false) throws -> MediaInfo {
        let input = try MediaInput(path: path)
        let videoIndex = try input.bestVideoStreamIndex()
        let timing = try scanVideoTiming(input, videoIndex)
        let format = input.context.pointee
        let duration = format.duration > 0 ? Double(format.duration) / Double(filmsr_av_time_base()) : nil
        return MediaInfo(
            path: path,
            containerName: String(cString: format.iformat.pointee.name),
            duration: duration,
            bitRate: format.bit_rate > 0 ? Int(format.bit_rate) : nil,
            metadata: dictionary(format.metadata),
            video: videoInfo(input.stream(videoIndex), timing),
            otherStreams: (0..<input.streamCount).filter { $0 != videoIndex }.map { streamInfo(input.stream($0)) },
            fieldStructure: measuringFields ? try FieldStructure.measure(path) : nil)
    }

    /// Frame count and intervals from the packet timestamps of one stream, read to the end.
    struct Timing {
        var frameCount = 0
        var startTime = 0.0
        var duration = 0.0
        var minInterval = 0.0
        var maxInterval = 0.0
        var isVariable = false
    }

    static func scanVideoTiming(_ input: MediaInput, _ videoIndex: Int) throws -> Timing {
        // Only the video stream is needed: skip the others' packets at the demuxer.
        for index in 0..<input.streamCount where index != videoIndex {
            input.stream(index).pointee.discard = AVDISCARD_ALL
        }
        defer {
            for index in 0..<input.streamCount { input.stream(index).pointee.discard = AVDISCARD_DEFAULT }
        }
        let stream = input.stream(videoIndex)
        let timeBase = stream.pointee.time_base
        var timestamps: [Int64] = []
        var end = Int64.min
        var timing = Timing()
        let packet = Packet()
        while try input.read(into: packet) {
            defer { packet.unref() }
            guard packet.streamIndex == videoIndex else { continue }
            timing.frameCount += 1
            let packetTime = packet.pointer.pointee.pts != noPTS ? packet.pointer.pointee.pts : packet.pointer.pointee.dts
            if packetTime != noPTS {
                timestamps.append(packetTime)
                if packet.pointer.pointee.duration > 0 { end = max(end, packetTime + packet.pointer.pointee.duration) }
            }
        }
        timestamps.sort()
        let intervals = zip(timestamps.dropFirst(), timestamps).map { $0 - $1 }.filter { $0 > 0 }
        let tick = av_q2d(timeBase)
        if let minimum = intervals.min(), let maximum = intervals.max() {
            timing.minInterval = Double(minimum) * tick
            timing.maxInterval = Double(maximum) * tick
            // Millisecond time bases round 1/29.97 s to 33 or 34 ticks: that jitter is not variable rate.
            let mean = Double(timestamps.last! - timestamps.first!) / Double(intervals.count)
            timing.isVariable = Double(maximum - minimum) > max(2, 0.01 * mean)
        }
        if let first = timestamps.first, let last = timestamps.last {
            // Where packets carry no durations, the last frame is taken to last as long as the one before.
            let averageRate = stream.pointee.avg_frame_rate
            let guessedLastDuration = intervals.last.map(Double.init)
                ?? (averageRate.num > 0 ? 1 / av_q2d(averageRate) / tick : 0)
            timing.startTime = Double(first) * tick
            timing.duration = end == Int64.min
                ? (Double(last - first) + guessedLastDuration) * tick
                : Double(max(end, last) - first) * tick
        }
        try check(av_seek_frame(input.context, -1, Int64.min, AVSEEK_FLAG_BACKWARD), input.path, "cannot rewind")
        return timing
    }

    static func videoInfo(_ stream: UnsafeMutablePointer<AVStream>, _ timing: Timing) -> VideoStreamInfo {
        let parameters = stream.pointee.codecpar.pointee
        let pixelFormat = AVPixelFormat(rawValue: parameters.format)
        var aspect = stream.pointee.sample_aspect_ratio.num > 0 ? stream.pointee.sample_aspect_ratio : parameters.sample_aspect_ratio
        if aspect.num <= 0 || aspect.den <= 0 { aspect = AVRational(num: 1, den: 1) }
        var display = AVRational(num: 0, den: 1)
        av_reduce(&display.num, &display.den, Int64(parameters.width) * Int64(aspect.num),
                  Int64(parameters.height) * Int64(aspect.den), 1 << 30)
        let declared = stream.pointee.nb_frames
        return VideoStreamInfo(
            index: Int(stream.pointee.index),
            codecName: String(cString: avcodec_get_name(parameters.codec_id)),
            width: Int(parameters.width),
            height: Int(parameters.height),
            pixelFormat: av_get_pix_fmt_name(pixelFormat).map { String(cString: $0) } ?? "unknown",
            bitsPerComponent: ColourConverter.bitsPerComponent(pixelFormat),
            timeBase: Rational(stream.pointee.time_base),
            averageFrameRate: Rational(stream.pointee.avg_frame_rate),
            frameCount: timing.frameCount,
            declaredFrameCount: declared > 0 ? Int(declared) : nil,
            startTime: timing.startTime,
            duration: timing.duration,
            isVariableFrameRate: timing.isVariable,
            minFrameInterval: timing.minInterval,
            maxFrameInterval: timing.maxInterval,
            sampleAspectRatio: Rational(aspect),
            displayAspectRatio: Rational(display),
            color: ColorDescription(
                range: name(av_color_range_name(parameters.color_range)),
                matrix: name(av_color_space_name(parameters.color_space)),
                primaries: name(av_color_primaries_name(parameters.color_primaries)),
                transfer: name(av_color_transfer_name(parameters.color_trc))),
            fieldOrder: fieldOrderName(parameters.field_order))
    }

    static func streamInfo(_ stream: UnsafeMutablePointer<AVStream>) -> StreamInfo {
        let parameters = stream.pointee.codecpar.pointee
        let duration = MediaInput.seconds(stream.pointee.duration, stream.pointee.time_base)
        let isAudio = parameters.codec_type == AVMEDIA_TYPE_AUDIO
        return StreamInfo(
            index: Int(stream.pointee.index),
            kind: name(av_get_media_type_string(parameters.codec_type)),
            codecName: String(cString: avcodec_get_name(parameters.codec_id)),
            duration: duration,
            language: dictionary(stream.pointee.metadata)["language"],
            sampleRate: isAudio ? Int(parameters.sample_rate) : nil,
            channels: isAudio ? Int(parameters.ch_layout.nb_channels) : nil)
    }

    static func fieldOrderName(_ order: AVFieldOrder) -> String {
        switch order {
        case AV_FIELD_PROGRESSIVE: "progressive"
        case AV_FIELD_TT: "tt"
        case AV_FIELD_BB: "bb"
        case AV_FIELD_TB: "tb"
        case AV_FIELD_BT: "bt"
        default: "unknown"
        }
    }

    static func name(_ text: UnsafePointer<CChar>?) -> String {
        text.map { String(cString: $0) } ?? "unknown"
    }

    static func dictionary(_ dictionary: OpaquePointer?) -> [String: String] {
        var result: [String: String] = [:]
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
            result[String(cString: next.pointee.key)] = String(cString: next.pointee.value)
            entry = next
        }
        return result
    }
}
