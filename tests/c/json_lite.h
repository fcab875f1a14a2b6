// A small strict JSON reader for the format tests: parses a whole document
// (RFC 8259: no trailing commas, no NaN) into a tree of Values and reports
// the byte offset of the first error, so a malformed writer fails loudly.
#ifndef TIMEMORY_TESTS_C_JSON_LITE_H
#define TIMEMORY_TESTS_C_JSON_LITE_H

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace jsonlite {

struct Value {
    enum Type { Null, Bool, Number, String, Array, Object } type = Null;
    bool b = false;
    double num = 0;
    std::string raw_number;  // the number's text (checks integers exactly)
    std::string str;
    std::vector<Value> arr;
    std::vector<std::pair<std::string, Value>> obj;

    const Value *get(const std::string &key) const {
        for (auto &kv : obj)
            if (kv.first == key) return &kv.second;
        return nullptr;
    }
    const Value &operator[](const std::string &key) const {
        static const Value none;
        const Value *v = get(key);
        return v ? *v : none;
    }
    const Value &operator[](size_t i) const { return arr.at(i); }
    size_t size() const { return type == Array ? arr.size() : obj.size(); }
};

class Parser {
  public:
    explicit Parser(const std::string &s) : s_(s) {}
    // True and *out on success; else false and error() says where.
    bool parse(Value *out) {
        ws();
        if (!value(out, 0)) return false;
        ws();
        if (i_ != s_.size()) return fail("trailing characters");
        return true;
    }
    const std::string &error() const { return err_; }

  private:
    bool fail(const char *what) {
        if (err_.empty()) err_ = std::string(what) + " at byte " + std::to_string(i_);
        return false;
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    }
    bool lit(const char *w) {
        size_t n = std::char_traits<char>::length(w);
        if (s_.compare(i_, n, w) != 0) return fail("bad literal");
        i_ += n;
        return true;
    }
    static void utf8(std::string &o, uint32_t cp) {
        if (cp < 0x80) {
            o += static_cast<char>(cp);
        } else if (cp < 0x800) {
            o += static_cast<char>(0xC0 | (cp >> 6));
            o += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            o += static_cast<char>(0xE0 | (cp >> 12));
            o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            o += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            o += static_cast<char>(0xF0 | (cp >> 18));
            o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            o += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    bool string(std::string *o) {
        if (s_[i_] != '"') return fail("expected a string");
        ++i_;
        while (i_ < s_.size() && s_[i_] != '"') {
            unsigned char c = static_cast<unsigned char>(s_[i_]);
            if (c < 0x20) return fail("raw control character in a string");
            if (c != '\\') {
                *o += static_cast<char>(c);
                ++i_;
                continue;
            }
            if (++i_ >= s_.size()) return fail("truncated escape");
            char e = s_[i_++];
            switch (e) {
            case '"': *o += '"'; break;
            case '\\': *o += '\\'; break;
            case '/': *o += '/'; break;
            case 'b': *o += '\b'; break;
            case 'f': *o += '\f'; break;
            case 'n': *o += '\n'; break;
            case 'r': *o += '\r'; break;
            case 't': *o += '\t'; break;
            case 'u': {
                if (i_ + 4 > s_.size()) return fail("truncated \\u");
                uint32_t cp = static_cast<uint32_t>(std::strtoul(s_.substr(i_, 4).c_str(), nullptr, 16));
                i_ += 4;
                utf8(*o, cp);
                break;
            }
            default: return fail("bad escape");
            }
        }
        if (i_ >= s_.size()) return fail("unterminated string");
        ++i_;
        return true;
    }
    bool value(Value *v, int depth) {
        if (depth > 100000) return fail("too deep");
        if (i_ >= s_.size()) return fail("unexpected end");
        char c = s_[i_];
        if (c == '{') {
            v->type = Value::Object;
            ++i_;
            ws();
            if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
            for (;;) {
                ws();
                std::string key;
                if (i_ >= s_.size() || !string(&key)) return fail("expected a key");
                ws();
                if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':'");
                ++i_;
                ws();
                v->obj.emplace_back(key, Value());
                if (!value(&v->obj.back().second, depth + 1)) return false;
                ws();
                if (i_ < s_.size() && s_[i_] == ',') {
                    ++i_;
                    continue;
                }
                if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
                return fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            v->type = Value::Array;
            ++i_;
            ws();
            if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
            for (;;) {
                ws();
                v->arr.emplace_back();
                if (!value(&v->arr.back(), depth + 1)) return false;
                ws();
                if (i_ < s_.size() && s_[i_] == ',') {
                    ++i_;
                    continue;
                }
                if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
                return fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v->type = Value::String;
            return string(&v->str);
        }
        if (c == 't') return v->type = Value::Bool, v->b = true, lit("true");
        if (c == 'f') return v->type = Value::Bool, lit("false");
        if (c == 'n') return lit("null");
        size_t start = i_;
        if (s_[i_] == '-') ++i_;
        if (i_ >= s_.size() || !(s_[i_] >= '0' && s_[i_] <= '9')) return fail("bad number");
        while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.' || s_[i_] == 'e' ||
                                  s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
            ++i_;
        v->type = Value::Number;
        v->raw_number = s_.substr(start, i_ - start);
        v->num = std::strtod(v->raw_number.c_str(), nullptr);
        return true;
    }

    const std::string &s_;
    size_t i_ = 0;
    std::string err_;
};

// True when `s` is valid UTF-8 (what JSON readers and flamegraph.pl need).
inline bool valid_utf8(const std::string &s) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

}  // namespace jsonlite

#endif  // TIMEMORY_TESTS_C_JSON_LITE_H
