//! The optional trainee-type fields kept on an account for later statistics
//! (gender, birth year, education, employment), with their labels and the
//! spellings accepted from imported spreadsheets.

use serde::{Deserialize, Serialize};

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal, $zh:literal, $en:literal, [$($alias:literal),*];)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)+ }

        crate::stored_code!($name { $($variant => $code, $zh, $en);+ });

        impl $name {
            /// From the stored code, a label or a spelling people use in
            /// spreadsheets.
            pub fn parse_label(input: &str) -> Option<Self> {
                let input = input.trim();
                $(
                    if input == $code || input == $zh || input.eq_ignore_ascii_case($en) $(|| input == $alias)* {
                        return Some($name::$variant);
                    }
                )+
                None
            }
        }
    };
}

choice!(
    /// 性别
    Gender {
        Male = "male", "男", "Male", ["男性"];
        Female = "female", "女", "Female", ["女性"];
    }
);

choice!(
    /// 学历
    Education {
        JuniorHighOrBelow = "junior_high_or_below", "初中及以下", "Junior high or below", ["初中", "小学"];
        HighSchool = "high_school", "高中/中专", "High school", ["高中", "中专", "职高", "技校"];
        College = "college", "大专", "College", ["专科"];
        Bachelor = "bachelor", "本科", "Bachelor", ["大学本科", "大学"];
        Master = "master", "硕士研究生", "Master", ["硕士", "研究生"];
        Doctor = "doctor", "博士研究生", "Doctorate", ["博士"];
    }
);

choice!(
    /// 就业状况
    Employment {
        Employed = "employed", "在职", "Employed", ["就业"];
        SelfEmployed = "self_employed", "个体/自由职业", "Self-employed", ["个体", "自由职业"];
        Farmer = "farmer", "务农", "Farming", ["农民"];
        Student = "student", "在校学生", "Student", ["学生"];
        Retired = "retired", "离退休", "Retired", ["退休", "离休"];
        Unemployed = "unemployed", "待业", "Unemployed", ["无业", "失业"];
    }
);

/// Birth years accepted at `current_year`: a person aged 16 to 110.
pub fn birth_year(input: &str, current_year: i32) -> Option<i32> {
    let year: i32 = input.trim().trim_end_matches('年').parse().ok()?;
    (current_year - 110..=current_year - 16)
        .contains(&year)
        .then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_codes_and_aliases_parse() {
        for gender in Gender::ALL {
            assert_eq!(Gender::parse_label(gender.code()), Some(gender));
            assert_eq!(Gender::parse_label(gender.label_zh()), Some(gender));
            assert_eq!(Gender::parse_label(gender.label_en()), Some(gender));
        }
        for education in Education::ALL {
            assert_eq!(
                Education::parse_label(education.label_zh()),
                Some(education)
            );
        }
        for employment in Employment::ALL {
            assert_eq!(
                Employment::parse_label(employment.label_zh()),
                Some(employment)
            );
        }
        assert_eq!(
            Education::parse_label(" 大学本科 "),
            Some(Education::Bachelor)
        );
        assert_eq!(Gender::parse_label("未知"), None);
    }

    #[test]
    fn birth_years_are_plausible() {
        assert_eq!(birth_year("1980", 2026), Some(1980));
        assert_eq!(birth_year("1980年", 2026), Some(1980));
        assert_eq!(birth_year("2015", 2026), None);
        assert_eq!(birth_year("80", 2026), None);
    }
}
