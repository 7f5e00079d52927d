// Result<T>: a value or an Error {code, message}. The core never throws across layers;
// the GObject boundary turns an Error into a GError (to_gerror) or a promise reply.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gstrtc {

// W3C error names (same meaning as GstRtcError in the public API).
enum class ErrorCode {
  TypeError,      // malformed input: a candidate, a URI, a credential
  InvalidState,   // call not allowed in the current state
  OperationError, // the operation failed for another reason
  InternalFailure,
  FingerprintFailure, // the peer certificate does not match the signalled fingerprint
  DtlsFailure,        // the DTLS handshake or a record failed
};

struct Error {
  ErrorCode code = ErrorCode::OperationError;
  std::string message;
};

template <typename T> class Result {
public:
  Result(T v) : v_(std::move(v)) {}
  Result(Error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T &value() { return std::get<0>(v_); }
  const T &value() const { return std::get<0>(v_); }
  T &operator*() { return value(); }
  const T &operator*() const { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  const Error &error() const { return std::get<1>(v_); }

private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

inline Error type_error(std::string msg) {
  return Error{ErrorCode::TypeError, std::move(msg)};
}
inline Error invalid_state(std::string msg) {
  return Error{ErrorCode::InvalidState, std::move(msg)};
}

} // namespace gstrtc
