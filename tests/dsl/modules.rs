//! Inline modules: `mod geometry { ... }` with pub structs, functions, impls and consts, nested
//! modules, `use self::...` imports, `super::` paths from inside modules, qualified paths
//! (`geometry::shapes::area`), and same-named functions in different modules.

use self::geometry::shapes::{area, Rect};
use self::geometry::{origin_distance2, Point};
use vmkit::io::print;
use vmkit::{GcList, Str};

/// Called from inside `geometry` through `super::`.
fn label() -> Str {
    Str::from("top")
}

fn name() -> Str {
    Str::from("top-level name")
}

mod geometry {
    use vmkit::Str;

    pub const UNIT: i64 = 10;

    #[derive(Clone, Copy)]
    pub struct Point {
        pub x: i64,
        pub y: i64,
    }

    impl Point {
        pub fn new(x: i64, y: i64) -> Point {
            Point { x: x * UNIT, y: y * UNIT }
        }
    }

    pub fn origin_distance2(p: Point) -> i64 {
        p.x * p.x + p.y * p.y
    }

    pub fn name() -> Str {
        Str::from("geometry name, beside ").concat(super::label())
    }

    pub mod shapes {
        use super::Point;

        #[derive(Clone, Copy)]
        pub struct Rect {
            pub corner: Point,
            pub w: i64,
            pub h: i64,
        }

        pub fn area(r: Rect) -> i64 {
            r.w * r.h
        }

        pub fn unit_square() -> Rect {
            Rect { corner: Point::new(0, 0), w: super::UNIT, h: super::UNIT }
        }

        pub fn name() -> vmkit::Str {
            super::name().concat(vmkit::Str::from(" via shapes"))
        }

        pub fn root_name() -> vmkit::Str {
            super::super::name()
        }
    }
}

mod text {
    use vmkit::Str;

    pub fn shout(s: Str) -> Str {
        s.concat(Str::from("!"))
    }

    pub fn name() -> Str {
        shout(Str::from("text name"))
    }
}

fn line(s: Str) {
    print(s);
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let p = Point::new(3, 4);
    print(Str::from("point "));
    print(Str::from_i64(p.x));
    print(Str::from(","));
    print(Str::from_i64(p.y));
    print(Str::from(" d2 "));
    print(Str::from_i64(origin_distance2(p)));
    print(Str::from("\n"));
    let r = Rect { corner: p, w: 6, h: 7 };
    print(Str::from("area "));
    print(Str::from_i64(area(r)));
    print(Str::from(" unit area "));
    print(Str::from_i64(geometry::shapes::area(geometry::shapes::unit_square())));
    print(Str::from(" UNIT "));
    print(Str::from_i64(geometry::UNIT));
    print(Str::from(" corner.x "));
    print(Str::from_i64(r.corner.x));
    print(Str::from("\n"));
    line(name());
    line(self::name());
    line(geometry::name());
    line(geometry::shapes::name());
    line(geometry::shapes::root_name());
    line(text::name());
    line(self::text::shout(Str::from("hey")));
    0
}
