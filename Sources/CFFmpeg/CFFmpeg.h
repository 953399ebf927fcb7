// The FFmpeg headers FilmSR uses, plus what Swift cannot import from them:
// function-like macros (AVERROR, AVERROR_EOF, AV_NOPTS_VALUE) become static
// inline functions with the same meaning.
#ifndef FILMSR_CFFMPEG_H
#define FILMSR_CFFMPEG_H

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/dict.h>
#include <libswscale/swscale.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersrc.h>
#include <libavfilter/buffersink.h>

static inline int filmsr_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int filmsr_averror_eof(void) { return AVERROR_EOF; }
static inline int filmsr_averror_einval(void) { return AVERROR(EINVAL); }
static inline int filmsr_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int filmsr_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t filmsr_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int filmsr_av_time_base(void) { return AV_TIME_BASE; }

#endif
