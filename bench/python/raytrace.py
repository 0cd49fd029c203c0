# A small ray tracer: spheres over a checkered plane, one point light, hard
# shadows and mirror reflections. Float arithmetic through a Vec class with
# operator overloading (many short-lived objects). Prints an ASCII thumbnail
# and a checksum of the quantized image. Usage: raytrace.py [width]
import sys

EPS = 1e-6
INF = float("inf")


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec(-self.x, -self.y, -self.z)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def scale(self, o):
        return Vec(self.x * o.x, self.y * o.y, self.z * o.z)

    def length(self):
        return self.dot(self) ** 0.5

    def unit(self):
        return self * (1.0 / self.length())

    def __repr__(self):
        return f"Vec({self.x}, {self.y}, {self.z})"


class Ray:
    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction.unit()

    def at(self, t):
        return self.origin + self.direction * t


class Material:
    def __init__(self, color, diffuse, specular, reflect):
        self.color = color
        self.diffuse = diffuse
        self.specular = specular
        self.reflect = reflect

    def color_at(self, point):
        return self.color


class Checker(Material):
    def __init__(self, a, b, diffuse, reflect):
        super().__init__(a, diffuse, 0.0, reflect)
        self.other = b

    def color_at(self, point):
        if (int(point.x // 1.0) + int(point.z // 1.0)) % 2 == 0:
            return self.color
        return self.other


class Sphere:
    def __init__(self, center, radius, material):
        self.center = center
        self.radius = radius
        self.material = material

    def hit(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return INF
        root = disc ** 0.5
        t = -b - root
        if t > EPS:
            return t
        t = -b + root
        return t if t > EPS else INF

    def normal(self, point):
        return (point - self.center).unit()


class Plane:
    def __init__(self, point, normal, material):
        self.point = point
        self.n = normal.unit()
        self.material = material

    def hit(self, ray):
        denom = self.n.dot(ray.direction)
        if abs(denom) < EPS:
            return INF
        t = (self.point - ray.origin).dot(self.n) / denom
        return t if t > EPS else INF

    def normal(self, point):
        return self.n


class Scene:
    def __init__(self):
        self.objects = []
        self.light = Vec(-4.0, 6.0, -3.0)
        self.ambient = 0.12
        self.background = Vec(0.15, 0.2, 0.35)

    def nearest(self, ray):
        best, best_t = None, INF
        for obj in self.objects:
            t = obj.hit(ray)
            if t < best_t:
                best, best_t = obj, t
        return best, best_t

    def shadowed(self, point, to_light, dist):
        ray = Ray(point, to_light)
        for obj in self.objects:
            if obj.hit(ray) < dist:
                return True
        return False

    def trace(self, ray, depth):
        obj, t = self.nearest(ray)
        if obj is None:
            return self.background
        point = ray.at(t)
        normal = obj.normal(point)
        mat = obj.material
        base = mat.color_at(point)
        to_light = self.light - point
        dist = to_light.length()
        to_light = to_light * (1.0 / dist)
        color = base * self.ambient
        lambert = normal.dot(to_light)
        if lambert > 0.0 and not self.shadowed(point, to_light, dist):
            color = color + base * (lambert * mat.diffuse)
            if mat.specular > 0.0:
                half = (to_light - ray.direction).unit()
                spec = normal.dot(half)
                if spec > 0.0:
                    color = color + Vec(1.0, 1.0, 1.0) * (mat.specular * spec ** 40)
        if depth > 0 and mat.reflect > 0.0:
            d = ray.direction
            refl = d - normal * (2.0 * d.dot(normal))
            color = color + self.trace(Ray(point, refl), depth - 1) * mat.reflect
        return color


def build_scene():
    s = Scene()
    s.objects.append(Plane(Vec(0.0, -1.0, 0.0), Vec(0.0, 1.0, 0.0),
                           Checker(Vec(0.9, 0.9, 0.9), Vec(0.1, 0.1, 0.1), 0.8, 0.2)))
    s.objects.append(Sphere(Vec(0.0, 0.0, 4.0), 1.0,
                            Material(Vec(0.9, 0.2, 0.2), 0.7, 0.5, 0.3)))
    s.objects.append(Sphere(Vec(-2.2, -0.2, 5.0), 0.8,
                            Material(Vec(0.2, 0.9, 0.3), 0.8, 0.3, 0.1)))
    s.objects.append(Sphere(Vec(2.0, 0.3, 5.5), 1.3,
                            Material(Vec(0.3, 0.4, 0.95), 0.6, 0.8, 0.5)))
    s.objects.append(Sphere(Vec(0.6, -0.7, 2.6), 0.3,
                            Material(Vec(0.95, 0.85, 0.2), 0.9, 0.2, 0.0)))
    return s


def render(width, height):
    scene = build_scene()
    eye = Vec(0.0, 0.6, -1.5)
    rows = []
    for j in range(height):
        row = []
        y = 1.0 - 2.0 * (j + 0.5) / height
        for i in range(width):
            x = (2.0 * (i + 0.5) / width - 1.0) * width / height
            ray = Ray(eye, Vec(x * 0.75, y * 0.75 - 0.15, 1.0))
            c = scene.trace(ray, 3)
            row.append(tuple(max(0, min(255, int(v * 255.0))) for v in (c.x, c.y, c.z)))
        rows.append(row)
    return rows


def main():
    width = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    height = width * 3 // 4
    image = render(width, height)
    checksum = 0
    total = [0, 0, 0]
    for row in image:
        for r, g, b in row:
            checksum = (checksum * 131 + r * 65536 + g * 256 + b) % 2147483647
            total[0] += r
            total[1] += g
            total[2] += b
    shades = " .:-=+*#%@"
    step_x = max(1, width // 48)
    step_y = max(1, height // 18)
    for row in image[::step_y]:
        line = []
        for r, g, b in row[::step_x]:
            lum = (r * 299 + g * 587 + b * 114) // 1000
            line.append(shades[lum * len(shades) // 256])
        print("".join(line).rstrip())
    print(f"{width}x{height} checksum={checksum} mean=" +
          "/".join(str(t // (width * height)) for t in total))


main()
